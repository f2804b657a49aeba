/**
 * Composite alarm rules: `ALARM("name-or-arn")`, `OK(...)`, `INSUFFICIENT_DATA(...)`, `TRUE`, `FALSE`
 * combined with AND, OR, NOT and parentheses (NOT binds tighter than AND, AND than OR).
 * Hand-written: no library parses this small language.
 */
import type { AlarmState } from './alarm-model';

export type RuleNode =
  | { readonly type: 'state'; readonly state: AlarmState; readonly alarm: string }
  | { readonly type: 'constant'; readonly value: boolean }
  | { readonly type: 'not'; readonly operand: RuleNode }
  | { readonly type: 'and' | 'or'; readonly left: RuleNode; readonly right: RuleNode };

export interface CompositeRule {
  readonly root: RuleNode;
  /** The alarm names or ARNs the rule refers to. */
  readonly references: readonly string[];
}

const TOKEN = /\s*(?:(ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"([^"]*)"|([^\s()"]+))\s*\)|(AND|OR|NOT|TRUE|FALSE)\b|([()]))/y;

export function parseCompositeRule(rule: string): CompositeRule {
  const tokens: Array<RuleNode | string> = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < rule.length && rule.slice(TOKEN.lastIndex).trim() !== '') {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(rule);
    if (!match) throw new Error(`AlarmRule syntax error at ${at}: ${rule.slice(at, at + 30)}`);
    if (match[1]) tokens.push({ type: 'state', state: match[1] as AlarmState, alarm: match[2] ?? match[3] });
    else if (match[4] === 'TRUE' || match[4] === 'FALSE') tokens.push({ type: 'constant', value: match[4] === 'TRUE' });
    else tokens.push(match[4] ?? match[5]);
  }
  let index = 0;
  const peek = (): RuleNode | string | undefined => tokens[index];
  const fail = (what: string): never => {
    throw new Error(`AlarmRule syntax error: ${what} in ${rule}`);
  };
  const parseOr = (): RuleNode => {
    let left = parseAnd();
    while (peek() === 'OR') {
      index += 1;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): RuleNode => {
    let left = parseNot();
    while (peek() === 'AND') {
      index += 1;
      left = { type: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): RuleNode => {
    const token = tokens[index++];
    if (token === 'NOT') return { type: 'not', operand: parseNot() };
    if (token === '(') {
      const inner = parseOr();
      if (tokens[index++] !== ')') fail("missing ')'");
      return inner;
    }
    if (token === undefined || typeof token === 'string') return fail(`unexpected ${token ?? 'end'}`);
    return token;
  };
  const root = parseOr();
  if (index < tokens.length) fail(`unexpected ${String(tokens[index])}`);
  return { root, references: [...new Set(collectReferences(root))] };
}

function collectReferences(node: RuleNode): string[] {
  switch (node.type) {
    case 'state':
      return [node.alarm];
    case 'constant':
      return [];
    case 'not':
      return collectReferences(node.operand);
    default:
      return [...collectReferences(node.left), ...collectReferences(node.right)];
  }
}

/** Evaluates the rule with each referenced alarm's current state. */
export function evaluateCompositeRule(node: RuleNode, stateOf: (alarm: string) => AlarmState): boolean {
  switch (node.type) {
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'constant':
      return node.value;
    case 'not':
      return !evaluateCompositeRule(node.operand, stateOf);
    case 'and':
      return evaluateCompositeRule(node.left, stateOf) && evaluateCompositeRule(node.right, stateOf);
    case 'or':
      return evaluateCompositeRule(node.left, stateOf) || evaluateCompositeRule(node.right, stateOf);
  }
}
