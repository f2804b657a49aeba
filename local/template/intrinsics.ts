/**
 * Resolves CloudFormation intrinsic functions to local values. Hand-written: no maintained library
 * evaluates a synthesized template offline; this covers what CDK emits, and anything else throws an
 * error naming the function and where it was met.
 */
import type { CfnTemplate } from './model';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, ResourceIdentity, UnsupportedTemplateError, type LocalEndpoints } from './resource-identity';

/** `{"Ref": "AWS::NoValue"}`: the property or list item disappears. */
const NO_VALUE = Symbol('AWS::NoValue');

type Intrinsic = (argument: unknown, where: string) => unknown;

export class IntrinsicResolver {
  readonly identity: ResourceIdentity;
  private readonly pseudoParameters: Record<string, unknown>;
  private readonly functions: Record<string, Intrinsic>;

  constructor(
    private readonly template: CfnTemplate,
    private readonly endpoints: LocalEndpoints,
  ) {
    this.identity = new ResourceIdentity(template, endpoints, (value, where) => this.resolveAt(value, where));
    this.pseudoParameters = {
      'AWS::Region': LOCAL_REGION,
      'AWS::AccountId': LOCAL_ACCOUNT_ID,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': endpoints.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stack/${endpoints.stackName}/00000000-0000-0000-0000-000000000000`,
      'AWS::NotificationARNs': [],
      'AWS::NoValue': NO_VALUE,
    };
    this.functions = {
      Ref: (argument, where) => this.ref(argument, where),
      'Fn::GetAtt': (argument, where) => this.getAtt(argument, where),
      'Fn::Join': (argument, where) => this.join(argument, where),
      'Fn::Sub': (argument, where) => this.sub(argument, where),
      'Fn::Select': (argument, where) => this.select(argument, where),
      'Fn::Split': (argument, where) => this.split(argument, where),
      'Fn::If': (argument, where) => this.fnIf(argument, where),
      'Fn::FindInMap': (argument, where) => this.findInMap(argument, where),
      'Fn::Base64': (argument, where) => Buffer.from(this.string(argument, where)).toString('base64'),
      'Fn::Equals': (argument, where) => this.condition({ 'Fn::Equals': argument }, where),
      'Fn::And': (argument, where) => this.condition({ 'Fn::And': argument }, where),
      'Fn::Or': (argument, where) => this.condition({ 'Fn::Or': argument }, where),
      'Fn::Not': (argument, where) => this.condition({ 'Fn::Not': argument }, where),
      Condition: (argument, where) => this.namedCondition(argument, where),
    };
  }

  /** Resolves a template value; `where` names its place in errors (`Resources.X.Properties.Y`). */
  resolve(value: unknown, where = 'template'): unknown {
    const resolved = this.resolveAt(value, where);
    return resolved === NO_VALUE ? undefined : localizeUrls(resolved, this.endpoints);
  }

  /** Resolves to a string (numbers and booleans as CloudFormation would stringify them). */
  resolveString(value: unknown, where: string): string {
    const resolved = this.resolve(value, where);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new UnsupportedTemplateError(`${where} must resolve to a string, got ${JSON.stringify(resolved)}`);
  }

  /** Whether a resource or output with this `Condition` exists. */
  isConditionTrue(name: string | undefined): boolean {
    return name === undefined || this.namedCondition(name, `Conditions.${name}`);
  }

  private resolveAt(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((item, index) => this.resolveAt(item, `${where}[${index}]`)).filter((item) => item !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [key, argument] = entries[0];
      if (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::')) {
        const intrinsic = this.functions[key];
        if (!intrinsic) throw new UnsupportedTemplateError(`${key} is not supported by the local cloud (at ${where})`);
        return intrinsic(argument, where);
      }
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const resolved = this.resolveAt(item, `${where}.${key}`);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }

  private ref(argument: unknown, where: string): unknown {
    const name = this.string(argument, where);
    if (name in this.pseudoParameters) return this.pseudoParameters[name];
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new UnsupportedTemplateError(`parameter ${name} has no default (at ${where})`);
      return parameter.Default;
    }
    if (!this.template.Resources[name]) throw new UnsupportedTemplateError(`Ref ${name}: no such resource or parameter (at ${where})`);
    return this.identity.ref(name);
  }

  private getAtt(argument: unknown, where: string): unknown {
    const parts = typeof argument === 'string' ? splitOnce(argument, '.') : this.list(argument, where, 2);
    const [logicalId, attribute] = parts.map((part) => this.string(part, where));
    return this.identity.getAtt(logicalId, attribute);
  }

  private join(argument: unknown, where: string): string {
    const [delimiter, items] = this.list(argument, where, 2);
    const values = this.resolveAt(items, where);
    if (!Array.isArray(values)) throw new UnsupportedTemplateError(`Fn::Join needs a list (at ${where})`);
    return values.map((item) => this.scalar(item, where)).join(this.string(delimiter, where));
  }

  private sub(argument: unknown, where: string): string {
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : this.list(argument, where, 2);
    const bound = this.resolveAt(variables, where) as Record<string, unknown>;
    return this.string(text, where).replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name in bound) return this.scalar(bound[name], where);
      if (name.includes('.')) return this.identity.getAtt(...splitOnce(name, '.'));
      return this.scalar(this.ref(name, where), where);
    });
  }

  private select(argument: unknown, where: string): unknown {
    const [index, items] = this.list(argument, where, 2);
    const values = this.resolveAt(items, where);
    const position = Number(this.resolveAt(index, where));
    if (!Array.isArray(values) || !Number.isInteger(position) || position < 0 || position >= values.length) {
      throw new UnsupportedTemplateError(`Fn::Select index ${position} out of range (at ${where})`);
    }
    return values[position];
  }

  private split(argument: unknown, where: string): string[] {
    const [delimiter, text] = this.list(argument, where, 2);
    return this.string(text, where).split(this.string(delimiter, where));
  }

  private fnIf(argument: unknown, where: string): unknown {
    const [name, whenTrue, whenFalse] = this.list(argument, where, 3);
    return this.resolveAt(this.namedCondition(name, where) ? whenTrue : whenFalse, where);
  }

  private findInMap(argument: unknown, where: string): unknown {
    const [map, top, second] = this.list(argument, where, 3).map((part) => this.string(part, where));
    const value = this.template.Mappings?.[map]?.[top]?.[second];
    if (value === undefined) throw new UnsupportedTemplateError(`Fn::FindInMap ${map}.${top}.${second} not found (at ${where})`);
    return value;
  }

  private namedCondition(argument: unknown, where: string): boolean {
    const name = this.string(argument, where);
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw new UnsupportedTemplateError(`condition ${name} is not defined (at ${where})`);
    return this.condition(definition, `Conditions.${name}`);
  }

  private condition(definition: unknown, where: string): boolean {
    const [[key, argument]] = Object.entries(definition as Record<string, unknown>);
    switch (key) {
      case 'Fn::Equals': {
        const [left, right] = this.list(argument, where, 2).map((side) => JSON.stringify(this.resolveAt(side, where)));
        return left === right;
      }
      case 'Fn::Not':
        return !this.condition(this.list(argument, where, 1)[0], where);
      case 'Fn::And':
        return (argument as unknown[]).every((item) => this.condition(item, where));
      case 'Fn::Or':
        return (argument as unknown[]).some((item) => this.condition(item, where));
      case 'Condition':
        return this.namedCondition(argument, where);
      default:
        throw new UnsupportedTemplateError(`condition function ${key} is not supported by the local cloud (at ${where})`);
    }
  }

  private list(argument: unknown, where: string, length: number): unknown[] {
    const value = Array.isArray(argument) ? argument : this.resolveAt(argument, where);
    if (!Array.isArray(value) || value.length < length) {
      throw new UnsupportedTemplateError(`expected a list of ${length} at ${where}, got ${JSON.stringify(argument)}`);
    }
    return value;
  }

  private string(value: unknown, where: string): string {
    return this.scalar(this.resolveAt(value, where), where);
  }

  private scalar(value: unknown, where: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new UnsupportedTemplateError(`expected a string at ${where}, got ${JSON.stringify(value)}`);
  }
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

/**
 * Locally everything is plain HTTP on 127.0.0.1: `https://127.0.0.1:3001/` (CloudFront) becomes
 * `http://...`, and an execute-api URL built from the API's id becomes the local API's URL.
 */
function localizeUrls(value: unknown, endpoints: LocalEndpoints): unknown {
  if (typeof value === 'string') {
    return value
      .replace(/https:\/\/127\.0\.0\.1:/g, 'http://127.0.0.1:')
      .replace(/https:\/\/[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com/g, `http://127.0.0.1:${endpoints.apiPort}`);
  }
  if (Array.isArray(value)) return value.map((item) => localizeUrls(item, endpoints));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, localizeUrls(item, endpoints)]));
  }
  return value;
}
