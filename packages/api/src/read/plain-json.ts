/**
 * Hot read routes (the mismatch page, gate batches) serialize with plain JSON.stringify instead of
 * the zod serializer: their items come from the projections' named row → API mappers, which
 * already produce exactly the contract shape, and validating every row on the way out cost about
 * as much as the query itself. The zod schemas still document the routes (OpenAPI) and the route
 * tests pin the shape.
 */
export const plainJsonSerializer =
  () =>
  (data: unknown): string =>
    JSON.stringify(data);
