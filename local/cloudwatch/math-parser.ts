/**
 * Parser of CloudWatch metric math expressions into a syntax tree (hand-written: no library parses
 * CloudWatch's expression language). Grammar, lowest precedence first:
 *   or      := and (("OR" | "||") and)*
 *   and     := compare (("AND" | "&&") compare)*
 *   compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
 *   sum     := product (("+" | "-") product)*
 *   product := power (("*" | "/") power)*
 *   power   := unary ("^" unary)?
 *   unary   := ("-" | "!" | "NOT") unary | primary
 *   primary := number | id | FUNCTION "(" args ")" | "(" or ")" | "[" or ("," or)* "]" | REPEAT | LINEAR
 */
import { invalidParameterValue } from './errors';

export type MathNode =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'ref'; readonly id: string }
  | { readonly type: 'keyword'; readonly name: 'REPEAT' | 'LINEAR' }
  | { readonly type: 'list'; readonly items: readonly MathNode[] }
  | { readonly type: 'unary'; readonly op: '-' | '!'; readonly operand: MathNode }
  | { readonly type: 'binary'; readonly op: BinaryOperator; readonly left: MathNode; readonly right: MathNode }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly MathNode[] };

export type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

interface Token {
  readonly kind: 'number' | 'word' | 'symbol';
  readonly text: string;
  readonly at: number;
}

const SYMBOLS = ['>=', '<=', '==', '!=', '&&', '||', '>', '<', '+', '-', '*', '/', '^', '(', ')', '[', ']', ',', '!'];

export function parseExpression(expression: string): MathNode {
  const parser = new Parser(expression, tokenize(expression));
  const node = parser.parseOr();
  parser.expectEnd();
  return node;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < expression.length) {
    const rest = expression.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(rest);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const symbol = SYMBOLS.find((s) => rest.startsWith(s));
    if (number) tokens.push({ kind: 'number', text: number[0], at });
    else if (word) tokens.push({ kind: 'word', text: word[0], at });
    else if (symbol) tokens.push({ kind: 'symbol', text: symbol, at });
    else if (rest.startsWith('"') || rest.startsWith("'")) {
      throw invalidParameterValue(
        `The local CloudWatch does not support string literals in metric math (SEARCH, METRICS filters, labels): ${expression}`,
      );
    } else throw syntaxError(expression, at, `unexpected character '${rest[0]}'`);
    at += (number ?? word)?.[0].length ?? symbol!.length;
  }
  return tokens;
}

function syntaxError(expression: string, at: number, what: string): Error {
  return invalidParameterValue(`Syntax error in metric math expression "${expression}" at ${at}: ${what}.`);
}

class Parser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseOr(): MathNode {
    let left = this.parseAnd();
    while (this.acceptAny(['||', 'OR'])) left = { type: 'binary', op: '||', left, right: this.parseAnd() };
    return left;
  }

  expectEnd(): void {
    const token = this.tokens[this.index];
    if (token) throw syntaxError(this.expression, token.at, `unexpected '${token.text}'`);
  }

  private parseAnd(): MathNode {
    let left = this.parseCompare();
    while (this.acceptAny(['&&', 'AND'])) left = { type: 'binary', op: '&&', left, right: this.parseCompare() };
    return left;
  }

  private parseCompare(): MathNode {
    const left = this.parseSum();
    const op = this.acceptAny(['==', '!=', '<=', '>=', '<', '>']);
    return op ? { type: 'binary', op: op as BinaryOperator, left, right: this.parseSum() } : left;
  }

  private parseSum(): MathNode {
    let left = this.parseProduct();
    for (let op = this.acceptAny(['+', '-']); op; op = this.acceptAny(['+', '-'])) {
      left = { type: 'binary', op: op as BinaryOperator, left, right: this.parseProduct() };
    }
    return left;
  }

  private parseProduct(): MathNode {
    let left = this.parsePower();
    for (let op = this.acceptAny(['*', '/']); op; op = this.acceptAny(['*', '/'])) {
      left = { type: 'binary', op: op as BinaryOperator, left, right: this.parsePower() };
    }
    return left;
  }

  private parsePower(): MathNode {
    const left = this.parseUnary();
    return this.acceptAny(['^']) ? { type: 'binary', op: '^', left, right: this.parseUnary() } : left;
  }

  private parseUnary(): MathNode {
    if (this.acceptAny(['-'])) return { type: 'unary', op: '-', operand: this.parseUnary() };
    if (this.acceptAny(['!', 'NOT'])) return { type: 'unary', op: '!', operand: this.parseUnary() };
    return this.parsePrimary();
  }

  private parsePrimary(): MathNode {
    const token = this.tokens[this.index];
    if (!token) throw syntaxError(this.expression, this.expression.length, 'unexpected end');
    this.index += 1;
    if (token.kind === 'number') return { type: 'number', value: Number(token.text) };
    if (token.text === '(') {
      const inner = this.parseOr();
      this.expect(')');
      return inner;
    }
    if (token.text === '[') return { type: 'list', items: this.parseArguments(']') };
    if (token.kind === 'word') {
      if (this.acceptAny(['('])) return { type: 'call', name: token.text.toUpperCase(), args: this.parseArguments(')') };
      if (token.text === 'REPEAT' || token.text === 'LINEAR') return { type: 'keyword', name: token.text };
      return { type: 'ref', id: token.text };
    }
    throw syntaxError(this.expression, token.at, `unexpected '${token.text}'`);
  }

  private parseArguments(close: string): MathNode[] {
    const args: MathNode[] = [];
    if (this.acceptAny([close])) return args;
    do args.push(this.parseOr());
    while (this.acceptAny([',']));
    this.expect(close);
    return args;
  }

  private acceptAny(texts: readonly string[]): string | undefined {
    const token = this.tokens[this.index];
    if (token && texts.includes(token.text)) {
      this.index += 1;
      return token.text;
    }
    return undefined;
  }

  private expect(text: string): void {
    if (!this.acceptAny([text])) {
      const token = this.tokens[this.index];
      throw syntaxError(this.expression, token?.at ?? this.expression.length, `expected '${text}'`);
    }
  }
}
