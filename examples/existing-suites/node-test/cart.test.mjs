// Written for node:test, and run unchanged by `node --test` and by leakrun.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

describe('cart', () => {
  let prices;
  let cart;
  before(() => {
    prices = new Map([
      ['apple', 3],
      ['pear', 4],
    ]);
  });
  after(() => {
    prices = undefined;
  });
  beforeEach(() => {
    cart = [];
  });
  afterEach(() => {
    cart = undefined;
  });

  it('starts empty', () => {
    assert.deepEqual(cart, []);
  });

  it('prices an apple', (t, done) => {
    setImmediate(() => {
      cart.push('apple');
      assert.equal(prices.get(cart[0]), 3);
      done();
    });
  });

  it('takes coupons', { skip: 'coupons come next year' }, () => {});

  describe('checkout', () => {
    let till;
    before(() => {
      till = { total: 0 };
    });

    it('adds up', () => {
      till.total = 7;
      assert.equal(till.total, prices.get('apple') + prices.get('pear'));
    });

    it('waits for the bank', { timeout: 50 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
  });
});
