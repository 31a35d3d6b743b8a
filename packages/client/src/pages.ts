/** Cursor paging as the API does it: ask without a cursor, then with each page's `nextCursor` until it is null. */
export async function* pages<P extends { readonly nextCursor: string | null }>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
): AsyncGenerator<P, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
