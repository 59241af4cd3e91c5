// Written for Mocha, and run unchanged by `mocha` and by leakrun.
const assert = require('node:assert/strict');

describe('cart', function () {
  before(function () {
    // `this` is shared: the nested block's tests read it.
    this.prices = new Map([
      ['apple', 3],
      ['pear', 4],
    ]);
  });

  after(function () {
    this.prices = undefined;
  });

  beforeEach(function () {
    this.cart = [];
  });

  afterEach(function () {
    this.cart = undefined;
  });

  it('starts empty', function () {
    assert.deepEqual(this.cart, []);
  });

  it('prices an apple', function (done) {
    setImmediate(() => {
      this.cart.push('apple');
      assert.equal(this.prices.get(this.cart[0]), 3);
      done();
    });
  });

  it.skip('takes coupons', function () {});

  describe('checkout', function () {
    before(function () {
      this.till = { total: 0 };
    });

    it('adds up', function () {
      this.till.total = 7;
      assert.equal(this.till.total, this.prices.get('apple') + this.prices.get('pear'));
    });

    it('waits for the bank', async function () {
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
  });
});
