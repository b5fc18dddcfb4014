/** go-spew `%#v` renderings (as DeepHashObject hashes them) of the Go types the endpoint controllers sort by. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { deepHashString, goBool, goInt, goPtr, goSlice, goString, goStruct, spewGoValue } from '../../../../src/controllers/endpoint/go-deep-hash';
import { ENDPOINT_PORT, ENDPOINT_SUBSET } from '../../../../src/controllers/endpoint/repack-subsets';

describe('spewGoValue (go-spew %#v)', () => {
  const cases: [string, unknown, Parameters<typeof spewGoValue>[1], string][] = [
    ['a string', 'x', goString(), '(string)x'],
    ['a named int', 80, goInt('int32'), '(int32)80'],
    ['a bool', true, goBool(), '(bool)true'],
    ['a nil pointer', undefined, goPtr(goString()), '(*string)<nil>'],
    ['a pointer', 'h2c', goPtr(goString()), '(*string)h2c'],
    ['a nil slice', undefined, goSlice(goString()), '([]string)<nil>'],
    ['an empty slice', [], goSlice(goString()), '([]string)[]'],
    ['slice elements without their type', ['a', 'b'], goSlice(goString()), '([]string)[a b]'],
    ['a core EndpointPort', { name: 'http', port: 8080, protocol: 'TCP' }, ENDPOINT_PORT, '(v1.EndpointPort){Name:(string)http Port:(int32)8080 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}'],
    [
      'an EndpointSubset with a struct pointer inside a slice element',
      { addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1' } }], ports: [{ port: 80, protocol: 'TCP' }] },
      ENDPOINT_SUBSET,
      '(v1.EndpointSubset){Addresses:([]v1.EndpointAddress)[{IP:(string)10.0.0.1 Hostname:(string) NodeName:(*string)n1 TargetRef:(*v1.ObjectReference){Kind:(string)Pod Namespace:(string)ns Name:(string)p UID:(types.UID)u1 APIVersion:(string) ResourceVersion:(string) FieldPath:(string)}}] NotReadyAddresses:([]v1.EndpointAddress)<nil> Ports:([]v1.EndpointPort)[{Name:(string) Port:(int32)80 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}]}',
    ],
    ['a struct pointer field that is nil', {}, goStruct('x.T', [['P', 'p', goPtr(goStruct('x.U', [['A', 'a', goString()]]))]]), '(x.T){P:(*x.U)<nil>}'],
  ];
  for (const [name, v, t, want] of cases) {
    it(name, () => assert.equal(spewGoValue(v, t), want));
  }

  it('hashes the rendering with md5 (DeepHashObjectToString)', () => {
    const v = { name: 'http', port: 80, protocol: 'TCP' };
    assert.equal(deepHashString(v, ENDPOINT_PORT), createHash('md5').update(spewGoValue(v, ENDPOINT_PORT)).digest('hex'));
  });
});
