/**
 * Service clusterIP/clusterIPs/ipFamilies/ipFamilyPolicy consistency (ValidateServiceClusterIPsRelatedFields) and
 * the dual-stack upgrade/downgrade rules of updates (primary clusterIP and ipFamily may not change once set).
 */
import { isIP } from 'node:net';
import { fieldErr, type FieldError } from '../../api/field-errors';
import { index, strs, str, type Obj } from './access';
import { validateIP } from './formats';
import { goStringSlice } from './go-repr';

const FAMILIES = ['IPv4', 'IPv6'];
const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const headless = (s: Obj): boolean => strs(s.clusterIPs).length === 1 && strs(s.clusterIPs)[0] === 'None';

export function validateClusterIPs(spec: Obj): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ip = str(spec.clusterIP);
  const ips = strs(spec.clusterIPs);
  const shown = goStringSlice(spec.clusterIPs);
  if (ip) {
    if (!ips.length) errs.push(fieldErr.required('spec.clusterIPs'));
    else if (ips[0] !== ip) errs.push(fieldErr.invalid('spec.clusterIPs', shown, 'first value must match `clusterIP`'));
  } else if (ips.length) errs.push(fieldErr.invalid('spec.clusterIPs', shown, 'must be empty when `clusterIP` is not specified'));
  const families = strs(spec.ipFamilies);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!FAMILIES.includes(f)) errs.push(fieldErr.notSupported(index('spec.ipFamilies', i), f, FAMILIES));
    if (seen.has(f)) errs.push(fieldErr.duplicate(index('spec.ipFamilies', i), f));
    seen.add(f);
  });
  if (typeof spec.ipFamilyPolicy === 'string' && !POLICIES.includes(spec.ipFamilyPolicy)) errs.push(fieldErr.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, POLICIES));
  let invalid = false;
  ips.forEach((c, i) => {
    if (i === 0 && c === 'None') {
      if (ips.length > 1) {
        invalid = true;
        errs.push(fieldErr.invalid('spec.clusterIPs', shown, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validateIP(index('spec.clusterIPs', i), c);
    if (e.length) invalid = true;
    errs.push(...e);
  });
  if (ips.length > 2) errs.push(fieldErr.invalid('spec.clusterIPs', shown, 'may only hold up to 2 values'));
  if (invalid) return errs;
  if (ips.length > 1 && (ips.length > 2 || new Set(ips.map((x) => isIP(x))).size !== 2))
    errs.push(fieldErr.invalid('spec.clusterIPs', shown, 'may specify no more than one IP for each IP family'));
  if (!headless(spec) && ips.length && families.length)
    ips.forEach((c, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIP(c) === 6) errs.push(fieldErr.invalid(index('spec.clusterIPs', i), c, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && isIP(c) !== 6) errs.push(fieldErr.invalid(index('spec.clusterIPs', i), c, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  return errs;
}

export function validateClusterIPUpdates(old: Obj, spec: Obj): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const o = strs(old.clusterIPs);
  const n = strs(spec.clusterIPs);
  const nShown = goStringSlice(spec.clusterIPs);
  const single = spec.ipFamilyPolicy === 'SingleStack';
  if (!(headless(old) && headless(spec))) {
    if (o.length === n.length) o.forEach((ip, i) => ip !== n[i] && errs.push(fieldErr.invalid(index('spec.clusterIPs', i), nShown, 'may not change once set')));
    else if (o.length > n.length) {
      if (!n.length) errs.push(fieldErr.invalid('spec.clusterIPs[0]', nShown, 'primary clusterIP can not be unset'));
      if (o.length && n.length && n[0] !== o[0]) errs.push(fieldErr.invalid('spec.clusterIPs[0]', nShown, 'may not change once set'));
      if (n.length === 1 && !single) errs.push(fieldErr.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    } else if (o.length && n[0] !== o[0]) errs.push(fieldErr.invalid('spec.clusterIPs[0]', nShown, 'may not change once set'));
  }
  if (headless(old) !== headless(spec) || headless(spec)) return errs;
  const of = strs(old.ipFamilies);
  const nf = strs(spec.ipFamilies);
  const fShown = goStringSlice(spec.ipFamilies, '[]core.IPFamily');
  if (of.length === nf.length) of.forEach((f, i) => f !== nf[i] && errs.push(fieldErr.invalid('spec.ipFamilies[0]', fShown, 'may not change once set')));
  else if (of.length > nf.length) {
    if (!n.length) errs.push(fieldErr.invalid('spec.ipFamilies[0]', fShown, 'primary ipFamily can not be unset'));
    if (nf.length && nf[0] !== of[0]) errs.push(fieldErr.invalid('spec.ipFamilies[0]', nShown, 'may not change once set'));
    if (nf.length === 1 && !single) errs.push(fieldErr.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
  } else if (of.length && nf.length && nf[0] !== of[0]) errs.push(fieldErr.invalid('spec.ipFamilies[0]', nShown, 'may not change once set'));
  return errs;
}
