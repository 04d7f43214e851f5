/**
 * metav1.LabelSelector (matchLabels + matchExpressions): validation as apimachinery's
 * ValidateLabelSelector words it, and matching as LabelSelectorAsSelector does (an empty selector
 * matches everything; an invalid one matches nothing).
 */
import { forbidden, invalid, required, index, child, type FieldError } from '../../api/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../../api/validation/names.js';
import { validateLabels } from '../../api/validation/object-meta.js';
import { asArray, asObject, str } from '../common.js';

const operators = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  const s = asObject(selector);
  const errs: FieldError[] = [];
  errs.push(...validateLabels(asObject(s.matchLabels) as Record<string, string>, child(path, 'matchLabels')));
  asArray(s.matchExpressions).forEach((e, i) => {
    const r = asObject(e);
    const p = index(child(path, 'matchExpressions'), i);
    const op = str(r.operator);
    const values = asArray(r.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else errs.push(invalid(child(p, 'operator'), op, 'not a valid selector operator'));
    for (const msg of isQualifiedName(str(r.key))) errs.push(invalid(child(p, 'key'), str(r.key), msg));
    values.forEach((v, j) => {
      for (const msg of isValidLabelValue(str(v))) errs.push(invalid(index(child(p, 'values'), j), str(v), msg));
    });
  });
  return errs;
}

/** Whether `selector` is convertible to a labels.Selector (LabelSelectorAsSelector succeeds). */
export function labelSelectorConvertible(selector: unknown): boolean {
  for (const e of asArray(asObject(selector).matchExpressions)) {
    const r = asObject(e);
    const op = str(r.operator);
    if (!operators.includes(op)) return false;
    const n = asArray(r.values).length;
    if ((op === 'In' || op === 'NotIn') && n === 0) return false;
    if ((op === 'Exists' || op === 'DoesNotExist') && n > 0) return false;
  }
  return true;
}

/** Whether `labels` match `selector` (matchLabels AND every matchExpression). */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!labelSelectorConvertible(selector)) return false;
  const s = asObject(selector);
  const l = labels ?? {};
  for (const [k, v] of Object.entries(asObject(s.matchLabels))) if (l[k] !== v) return false;
  for (const e of asArray(s.matchExpressions)) {
    const r = asObject(e);
    const key = str(r.key);
    const has = Object.prototype.hasOwnProperty.call(l, key);
    const values = asArray(r.values).map(str);
    switch (str(r.operator)) {
      case 'In':
        if (!has || !values.includes(l[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
