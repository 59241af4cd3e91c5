import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  UNIT_TESTS_LAYER_NAME,
  createLayerResolver,
  gatherLayers,
  isUnitTestsNode,
  layerBases,
  layerName,
  orderByBases,
  orderLayers,
  resolveLayers,
  unitTestsNode,
} from '../../src/runner/layers.ts';
import type { Layer, LayerNode } from '../../src/types/index.ts';

const names = (nodes: readonly LayerNode[]): string[] => nodes.map((node) => node.name);
const ordered = (layers: readonly (Layer | undefined)[]): string[] => names(orderByBases(resolveLayers(layers)));

// zope's sample graph (samplelayers.py):
//
//    Layerx         Layer1
//     |   \        /      \
//     |    \   Layer11    Layer12
//     |     \  /   |       /    \
//     |      \/    |   Layer121  Layer122
//     |      /\    |
//    Layer111  Layer112      (each: bases = [Layerx, Layer11])
class Layer1 {
  static layerName = 'samplelayers.Layer1';
}
class Layerx {
  static layerName = 'samplelayers.Layerx';
}
class Layer11 extends Layer1 {
  static override layerName = 'samplelayers.Layer11';
}
class Layer12 extends Layer1 {
  static override layerName = 'samplelayers.Layer12';
}
class Layer111 {
  static layerName = 'samplelayers.Layer111';
  static bases = [Layerx, Layer11];
}
class Layer112 {
  static layerName = 'samplelayers.Layer112';
  static bases = [Layerx, Layer11];
}
class Layer121 extends Layer12 {
  static override layerName = 'samplelayers.Layer121';
}
class Layer122 extends Layer12 {
  static override layerName = 'samplelayers.Layer122';
}

// Two diamonds from zope's layer docs: F(C, E) with C -> B -> A and E -> D -> A.
//
//        A
//       / \
//      B   D
//      |   |
//      C   E
//       \ /
//        F      (bases [C, E])
class A {
  static layerName = 'A';
}
class B extends A {
  static override layerName = 'B';
}
class C extends B {
  static override layerName = 'C';
}
class D extends A {
  static override layerName = 'D';
}
class E extends D {
  static override layerName = 'E';
}
class F {
  static layerName = 'F';
  static bases = [C, E];
}

// zope's topological-sort doc: shared bases beat the alphabet.
//
//             TA
//           /    \
//         TAB     TAC
//        /   \      \
//   AAAABD  ZZZABE  MMMACF
// (Only their class names name them: none has an own layerName.)
class TA {
  static setUp(): void {}
}
class AB extends TA {}
class AC extends TA {}
class AAAABD extends AB {}
class ZZZABE extends AB {}
class MMMACF extends AC {}

function Zeta(): Layer {
  return objectLayer('Zeta');
}
function Alpha(): Layer {
  return objectLayer('Alpha');
}
function Mid(): Layer {
  return objectLayer('Mid');
}
function objectLayer(name: string, bases?: Layer[]): Layer {
  return bases ? { layerName: name, bases } : { layerName: name };
}
const BEE = objectLayer('Bee');
const DIAMOND = (() => {
  const base = objectLayer('Base');
  const left = objectLayer('Left', [base]);
  const right = objectLayer('Right', [base]);
  return { base, left, right, top: objectLayer('Top', [left, right]) };
})();

const orderCases: { title: string; layers: (Layer | undefined)[]; expected: string[] }[] = [
  {
    title: "zope's sample graph, given in a scrambled order",
    layers: [Layer122, Layer11, Layer112, Layer1, Layer121, Layer111, Layer12],
    expected: ['Layer1', 'Layer11', 'Layer111', 'Layer112', 'Layer12', 'Layer121', 'Layer122'].map((n) => `samplelayers.${n}`),
  },
  {
    title: "zope's sample graph, given in reverse",
    layers: [Layer122, Layer121, Layer12, Layer112, Layer111, Layer11, Layer1],
    expected: ['Layer1', 'Layer11', 'Layer111', 'Layer112', 'Layer12', 'Layer121', 'Layer122'].map((n) => `samplelayers.${n}`),
  },
  {
    // Layerx sorts after Layer1 by name, yet it is a base of Layer112, so it comes before it.
    title: 'the set-up layers of a Layer112 run (reversed, this is the left-over tear-down order)',
    layers: [Layerx, Layer1, Layer11, Layer112],
    expected: ['samplelayers.Layer1', 'samplelayers.Layer11', 'samplelayers.Layerx', 'samplelayers.Layer112'],
  },
  {
    title: 'a diamond F(C, E): bases first, left branch before right',
    layers: [F, E, D, C, B, A],
    expected: ['A', 'B', 'C', 'D', 'E', 'F'],
  },
  {
    title: 'shared bases keep layers together even against the alphabet',
    layers: [AAAABD, MMMACF, ZZZABE],
    expected: ['AAAABD', 'ZZZABE', 'MMMACF'],
  },
  {
    //   Zeta   Alpha   Mid      (unrelated)
    title: 'unrelated layers by name',
    layers: [Zeta(), Alpha(), Mid()],
    expected: ['Alpha', 'Mid', 'Zeta'],
  },
  {
    //   Bee     Aye
    //    |
    //   Aye2
    title: 'a derived layer follows its base, not its own name',
    layers: [objectLayer('Aye2', [BEE]), BEE, objectLayer('Aye')],
    expected: ['Aye', 'Bee', 'Aye2'],
  },
  {
    //        Base
    //       /    \
    //    Left    Right
    //       \    /
    //        Top       (bases [Left, Right]; plain objects)
    title: 'a diamond of plain objects',
    layers: [DIAMOND.top, DIAMOND.right, DIAMOND.base, DIAMOND.left],
    expected: ['Base', 'Left', 'Right', 'Top'],
  },
  {
    title: 'only the layers asked for are returned, bases are not added',
    layers: [Layer121, Layer111],
    expected: ['samplelayers.Layer111', 'samplelayers.Layer121'],
  },
];

for (const { title, layers, expected } of orderCases) {
  test(`orderByBases: ${title}`, () => {
    assert.deepEqual(ordered(layers), expected);
  });
}

test('orderByBases: the left-over tear-down order after Layer112 is Layer112, Layerx, Layer11, Layer1', () => {
  assert.deepEqual(ordered([Layerx, Layer1, Layer11, Layer112]).reverse(), [
    'samplelayers.Layer112',
    'samplelayers.Layerx',
    'samplelayers.Layer11',
    'samplelayers.Layer1',
  ]);
});

test('orderByBases: duplicates are removed and the given nodes come back', () => {
  const [n11, n1, again] = resolveLayers([Layer11, Layer1, Layer11]);
  assert.ok(n11 && n1 && again);
  const result = orderByBases([n11, n1, again]);
  assert.equal(result.length, 2);
  assert.equal(result[0], n1);
  assert.equal(result[1], n11);
});

test('orderByBases: nodes of the same layer from two resolvers count as one layer', () => {
  const first = createLayerResolver()(Layer111);
  const second = createLayerResolver()(Layer11);
  assert.notEqual(first.bases[1], second);
  assert.deepEqual(names(orderByBases([...gatherLayers(first), second])), [
    'samplelayers.Layer1',
    'samplelayers.Layer11',
    'samplelayers.Layerx',
    'samplelayers.Layer111',
  ]);
});

test('orderByBases: layers with equal keys come out in reverse of the order given, as in zope', () => {
  const p = objectLayer('Same');
  const q = objectLayer('Same');
  const [np, nq] = resolveLayers([p, q]);
  assert.ok(np && nq);
  const result = orderByBases([np, nq]);
  assert.equal(result[0], nq);
  assert.equal(result[1], np);
});

test('orderLayers: the unit-tests layer first, then the rest by bases', () => {
  assert.deepEqual(names(orderLayers(resolveLayers([Layer12, undefined, Layer1, Layerx]))), [
    UNIT_TESTS_LAYER_NAME,
    'samplelayers.Layer1',
    'samplelayers.Layer12',
    'samplelayers.Layerx',
  ]);
  assert.deepEqual(names(orderLayers(resolveLayers([Layer12, Layer1]))), ['samplelayers.Layer1', 'samplelayers.Layer12']);
});

test('gatherLayers: the node, then its bases depth first, left to right, repeats kept', () => {
  assert.deepEqual(names(gatherLayers(createLayerResolver()(F))), ['F', 'C', 'B', 'A', 'E', 'D', 'A']);
  assert.deepEqual(names(gatherLayers(createLayerResolver()(Layer112))), [
    'samplelayers.Layer112',
    'samplelayers.Layerx',
    'samplelayers.Layer11',
    'samplelayers.Layer1',
  ]);
  assert.deepEqual(names(gatherLayers(unitTestsNode())), [UNIT_TESTS_LAYER_NAME]);
});

test('layerName: own layerName only, else the class name, else a placeholder', () => {
  class Named {
    static layerName = 'pkg.Named';
  }
  class Unnamed extends Named {}
  function FunctionLayer(): void {}
  const anonymous = (() =>
    class {
      static setUp(): void {}
    })();
  assert.equal(layerName(Named), 'pkg.Named');
  assert.equal(Unnamed.layerName, 'pkg.Named', 'the static is inherited in JavaScript...');
  assert.equal(layerName(Unnamed), 'Unnamed', '...but a layer prints its own name');
  assert.equal(layerName(FunctionLayer as Layer), 'FunctionLayer');
  assert.equal(layerName(anonymous), '(anonymous layer)');
  assert.equal(layerName({ layerName: 'obj.Layer' }), 'obj.Layer');
  assert.equal(layerName({}), '(anonymous layer)');
});

test('layerBases: own bases, else a superclass, else none', () => {
  class Plain {
    static setUp(): void {}
  }
  class Sub extends Plain {}
  class Both extends Plain {
    static bases = [Layerx];
  }
  class AfterBoth extends Both {}
  class FromObject extends Object {
    static setUp(): void {}
  }
  assert.deepEqual(layerBases(Plain), []);
  assert.deepEqual(layerBases(Sub), [Plain]);
  assert.deepEqual(layerBases(Both), [Layerx], 'own bases override the superclass');
  assert.deepEqual(layerBases(AfterBoth), [Both], 'bases are not inherited');
  assert.deepEqual(layerBases(FromObject), [], 'Object is not a layer');
  assert.deepEqual(layerBases(F), [C, E]);
  assert.deepEqual(layerBases(DIAMOND.top), [DIAMOND.left, DIAMOND.right]);
  assert.deepEqual(layerBases({ layerName: 'x' }), []);
  const inheritsObject = Object.create(DIAMOND.top) as Layer;
  assert.deepEqual(layerBases(inheritsObject), [], "an object's prototype is not a base");
});

test('layerBases: bad bases name the layer and the problem', () => {
  assert.throws(() => layerBases({ layerName: 'bad.One', bases: 'Layer1' } as unknown as Layer), {
    name: 'TypeError',
    message: /Layer bad\.One: `bases` must be an array/,
  });
  assert.throws(() => layerBases({ layerName: 'bad.Two', bases: [Layer1, undefined] } as unknown as Layer), {
    message: /Layer bad\.Two: bases\[1\] is undefined, not a layer/,
  });
});

test('resolveLayers: one node per layer, shared bases shared, undefined is the unit-tests layer', () => {
  const [n111, n112, unit, again] = resolveLayers([Layer111, Layer112, undefined, Layer111]);
  assert.ok(n111 && n112 && unit);
  assert.equal(again, n111);
  assert.equal(n111.layer, Layer111);
  assert.deepEqual(names(n111.bases), ['samplelayers.Layerx', 'samplelayers.Layer11']);
  assert.equal(n111.bases[0], n112.bases[0]);
  assert.equal(n111.bases[1], n112.bases[1]);
  assert.equal(unit, unitTestsNode());
  assert.ok(isUnitTestsNode(unit) && !isUnitTestsNode(n111));
  assert.deepEqual({ ...unit }, { name: 'leakrun.UnitTests', layer: undefined, bases: [] });
});

test('resolveLayers: a base cycle is an error naming the cycle', () => {
  const a = { layerName: 'cyc.A', bases: [] as Layer[] };
  const b = { layerName: 'cyc.B', bases: [a] };
  const c = { layerName: 'cyc.C', bases: [b] };
  a.bases.push(c);
  assert.throws(() => resolveLayers([Layer1, b]), {
    message: /^Layer bases form a cycle: cyc\.B -> cyc\.A -> cyc\.C -> cyc\.B\. /,
  });
  const self = { layerName: 'cyc.Self', bases: [] as Layer[] };
  self.bases.push(self);
  assert.throws(() => resolveLayers([self]), { message: /cycle: cyc\.Self -> cyc\.Self\./ });
});
