-- wrk: PATCH a line of one of the benchmark's carts, chosen at random, to a new quantity.
local carts = {}

function init(args)
  for line in io.lines(args[1]) do
    local id, secret, line_id = line:match("(%S+) (%S+) (%S+)")
    carts[#carts + 1] = { id = id, secret = secret, line = line_id }
  end
end

function request()
  local cart = carts[math.random(#carts)]
  return wrk.format("PATCH", "/api/v1/carts/" .. cart.id .. "/items/" .. cart.line,
    { ["Content-Type"] = "application/json", ["Cart-Secret"] = cart.secret },
    '{"quantity": ' .. math.random(1, 5) .. '}')
end
