// swagger-ui-dist ships no types; this is the part of its API that main.ts uses.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  interface SwaggerUIOptions {
    url: string;
    dom_id: string;
    deepLinking?: boolean;
    validatorUrl?: string | null;
  }
  export default function SwaggerUIBundle(options: SwaggerUIOptions): unknown;
}
