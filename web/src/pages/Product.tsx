import { useEffect, useState } from "preact/hooks";
import { type Schemas, api, call } from "../api/client";
import { ErrorNotice, Loading, Price } from "../components";
import { useShop } from "../shop";

type Product = Schemas["ProductDetail"];

export function ProductPage({ slug }: { slug: string }) {
  const shop = useShop();
  const [product, setProduct] = useState<Product | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [variantId, setVariantId] = useState<string>("");
  const [quantity, setQuantity] = useState(1);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [addError, setAddError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    call(api.GET("/api/v1/products/{slug_or_id}", { params: { path: { slug_or_id: slug } } })).then((found) => {
      setProduct(found);
      setVariantId(found.variants.find((v) => v.in_stock)?.id ?? "");
    }, setError);
  }, [slug, attempt]);

  if (error) return <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />;
  if (!product) return <Loading />;

  const variant = product.variants.find((v) => v.id === variantId);

  const add = async (event: Event) => {
    event.preventDefault();
    if (!variant) return;
    setAdding(true);
    setAddError(null);
    setAdded(null);
    try {
      shop.setCart(await shop.carts.add(variant.id, quantity));
      setAdded(`${quantity} × ${product.name} (${variant.title}) added to your cart.`);
    } catch (failure) {
      setAddError(failure);
    } finally {
      setAdding(false);
    }
  };

  return (
    <article class="product">
      <div class="product-images">
        {product.images.map((image) => (
          <img key={image.url} src={image.url} alt={image.alt} width={480} height={480} />
        ))}
      </div>
      <div class="product-info">
        <h1>{product.name}</h1>
        <p>{product.description}</p>
        <form onSubmit={add}>
          <fieldset>
            <legend>Choose a variant</legend>
            {product.variants.map((v) => (
              <label key={v.id} class={v.in_stock ? "variant" : "variant variant-out"}>
                <input
                  type="radio"
                  name="variant"
                  value={v.id}
                  checked={v.id === variantId}
                  disabled={!v.in_stock}
                  onChange={() => setVariantId(v.id)}
                />
                {v.title} · <Price money={v.price} compareAt={v.compare_at_price} />
                {!v.in_stock && <span class="badge">Out of stock</span>}
              </label>
            ))}
          </fieldset>
          <label>
            Quantity
            <input
              type="number"
              name="quantity"
              min={1}
              max={Math.max(1, Math.min(99, variant?.available ?? 1))}
              value={quantity}
              onInput={(e) => setQuantity(Math.max(1, Number(e.currentTarget.value) || 1))}
            />
          </label>
          <button type="submit" disabled={!variant || adding}>
            {adding ? "Adding…" : "Add to cart"}
          </button>
        </form>
        <div aria-live="polite">
          {added && (
            <p class="notice">
              {added} <a href="/cart">View cart</a>
            </p>
          )}
        </div>
        {addError !== null && <ErrorNotice error={addError} />}
      </div>
    </article>
  );
}
