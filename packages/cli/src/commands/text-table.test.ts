import { describe, expect, it } from 'vitest';
import { textTable } from './text-table';

describe('textTable', () => {
  it('aligns columns to the widest cell and leaves no trailing spaces', () => {
    expect(
      textTable(
        ['id', 'n', 'name'],
        [
          ['ws_1', '10', 'Acme'],
          ['ws_22', '3', ''],
        ],
      ),
    ).toBe('id     n   name\nws_1   10  Acme\nws_22  3\n');
  });
});
