// The API reference at /api/docs: Swagger UI, bundled by this build and served from the shop's own
// origin, so it works offline and under the page's CSP (nginx): it needs no inline script or style
// and no eval.
import SwaggerUIBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import "swagger-ui-dist/swagger-ui.css";

SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#api-reference",
  // Operations get addresses of their own (#/checkout/...), to link to from elsewhere.
  deepLinking: true,
  // Otherwise the document would be sent to swagger.io's online validator for a badge.
  validatorUrl: null,
});
