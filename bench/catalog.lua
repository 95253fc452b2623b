-- wrk: the catalog as many shoppers read it, so that no answer is the one before it again.
--   list:   one of the first 5 pages, in one of the 4 sort orders
--   search: a product's number (a few matches), part of one (thousands), a word every product
--           has, or one none has; newest first, as the storefront asks
-- The script's arguments: the mode, then how many products the catalog holds.
local mode, products
local sorts = { "newest", "price_asc", "price_desc", "name" }
local words = { "cotton", "organic", "catalog", "velvet" }

function init(args)
  mode = args[1]
  products = tonumber(args[2])
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  if mode == "list" then
    return wrk.format("GET", "/api/v1/products?limit=24&sort=" .. sorts[math.random(#sorts)] .. "&page=" .. math.random(5))
  end
  local pick = math.random(4)
  local q
  if pick == 1 then
    q = "number%20" .. math.random(products)
  elseif pick == 2 then
    q = "product%20" .. math.random(10, 99)
  else
    q = words[math.random(#words)]
  end
  return wrk.format("GET", "/api/v1/products?limit=24&q=" .. q)
end
