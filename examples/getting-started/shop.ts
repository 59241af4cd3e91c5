// The code under test in the getting-started guide: a tiny shop whose stock lives in a Map.
export const stock = new Map<string, number>();

/** Takes one item out of stock; throws when there is none left. */
export function sell(item: string): void {
  const left = stock.get(item) ?? 0;
  if (left === 0) throw new Error(`${item}: sold out`);
  stock.set(item, left - 1);
}

/** A layer: the shop is opened once for all the tests that use it. */
export class OpenShop {
  static layerName = 'shop.OpenShop';
  static setUp(): void {
    stock.set('apple', 3);
  }
  static tearDown(): void {
    stock.clear();
  }
  // Each test starts with a full shelf, whatever the test before it sold.
  static testSetUp(): void {
    stock.set('apple', 3);
  }
}
