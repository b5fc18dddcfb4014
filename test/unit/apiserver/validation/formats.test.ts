/** apimachinery name/format checks with their exact messages (including the double space of RegexError examples). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
  nameIsDNSSubdomain,
  validateNonSpecialIP,
} from '../../../../src/apiserver/validation/formats';
import { texts } from './helpers';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('apimachinery name and format checks (exact messages)', () => {
  const cases: [string, (v: string) => string[], string, string[]][] = [
    ['subdomain ok', isDNS1123Subdomain, 'example.com', []],
    ['subdomain bad', isDNS1123Subdomain, 'Bad_Name', [SUBDOMAIN_MSG]],
    ['subdomain too long', isDNS1123Subdomain, 'a'.repeat(254), ['must be no more than 253 characters']],
    ['label ok', isDNS1123Label, 'my-name', []],
    ['label with dots', isDNS1123Label, 'a.b', ['must not contain dots']],
    ['label bad', isDNS1123Label, 'My-Name', [LABEL_MSG]],
    ['label too long', isDNS1123Label, 'a'.repeat(64), ['must be no more than 63 characters']],
    ['1035 starts with digit', isDNS1035Label, '1abc', [DNS1035_MSG]],
    ['label value ok', isValidLabelValue, 'v1.2_x', []],
    ['label value bad', isValidLabelValue, '-x', [LABEL_VALUE_MSG]],
    ['qualified ok', isQualifiedName, 'example.com/my-key', []],
    ['qualified empty prefix', isQualifiedName, '/x', ['prefix part must be non-empty']],
    ['qualified bad name', isQualifiedName, 'a b', [NAME_PART_MSG]],
    ['qualified empty', isQualifiedName, '', ['name part must be non-empty', NAME_PART_MSG]],
    ['qualified prefix bad', isQualifiedName, 'Ex/x', [`prefix part ${SUBDOMAIN_MSG}`]],
    ['configmap key', isConfigMapKey, '..x', ["must not start with '..'"]],
    ['port name', isValidPortName, 'http--a-', ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']],
    ['port name digits', isValidPortName, '8080', ['must contain at least one letter (a-z)']],
    ['rbac name', isValidPathSegmentName, 'a/b%', ["may not contain '/'", "may not contain '%'"]],
    ['rbac name dot', isValidPathSegmentName, '..', ["may not be '..'"]],
  ];
  for (const [name, fn, value, want] of cases) it(name, () => assert.deepEqual(fn(value), want));

  it('a generateName prefix may end with a dash (upstream masks the last two characters)', () => {
    assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
    assert.deepEqual(nameIsDNSSubdomain('web-', false), [SUBDOMAIN_MSG]);
  });

  it('every generated DNS-1123 label is accepted, every one with an upper-case letter is refused', () => {
    const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    fc.assert(fc.property(label, (l) => isDNS1123Label(l).length === 0 && isDNS1123Subdomain(`${l}.${l}`).length === 0));
    fc.assert(fc.property(label, fc.constantFrom('A', 'Z'), (l, up) => isDNS1123Label(`${l}${up}`).length > 0));
  });

  it('refuses special IPs the way ValidateNonSpecialIP does', () => {
    assert.deepEqual(texts(validateNonSpecialIP('127.0.0.1', 'ip')), ['ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
    assert.deepEqual(texts(validateNonSpecialIP('::', 'ip')), ['ip: Invalid value: "::": may not be unspecified (::)']);
    assert.deepEqual(texts(validateNonSpecialIP('fe80::1', 'ip')), ['ip: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
    assert.deepEqual(validateNonSpecialIP('10.1.2.3', 'ip'), []);
    assert.deepEqual(texts(validateNonSpecialIP('nope', 'ip')), ['ip: Invalid value: "nope": must be a valid IP address']);
  });
});
