// Keyset paging state of one table: a stack of cursors (the first page has none) and the next one.
export class Pager {
  constructor() {
    this.reset();
  }
  reset() {
    this.stack = [null];
    this.next = null;
  }
  get cursor() {
    return this.stack[this.stack.length - 1];
  }
  get hasPrev() {
    return this.stack.length > 1;
  }
  forward() {
    if (this.next === null) return false;
    this.stack.push(this.next);
    return true;
  }
  back() {
    if (!this.hasPrev) return false;
    this.stack.pop();
    return true;
  }
}
