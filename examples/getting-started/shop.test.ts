import assert from 'node:assert/strict';
import { TestCase } from 'leakrun';
import { OpenShop, sell, stock } from './shop.ts';

export class TestSelling extends TestCase {
  static override layer = OpenShop;

  test_sell_one(): void {
    sell('apple');
    assert.equal(stock.get('apple'), 2);
  }

  test_sold_out(): void {
    for (let i = 0; i < 3; i++) sell('apple');
    assert.throws(() => sell('apple'), /apple: sold out/);
  }
}
