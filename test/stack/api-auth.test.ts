/**
 * Who may call the API (`apiAuth`), one synth per mode: every route behind the mode's authorizer, the
 * open-API cdk-nag acknowledgement only with `none`, GET /items only where callers are known (or on the
 * local stage), the console's runtime configuration following the mode, and the config's refusals.
 */
import { Validations } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../lib/config';
import { consoleCalls } from './console-calls';
import { references, resourcesOfType, synthesize, type Json, type Synthesized } from './synth';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example';
const MODES = {
  none: {},
  iam: { apiAuth: 'iam' },
  jwt: { apiAuth: 'jwt', jwtIssuer: ISSUER, jwtAudience: ['console-client', 'cli-client'] },
  local: { stage: 'local' },
} as const;

const synths = Object.fromEntries(Object.entries(MODES).map(([mode, context]) => [mode, synthesize(context)])) as Record<keyof typeof MODES, Synthesized>;
afterAll(() => Object.values(synths).forEach((synth) => synth.dispose()));

const routes = (synth: Synthesized) =>
  Object.values(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties as Json);
const routeKeys = (synth: Synthesized) => routes(synth).map((route) => route.RouteKey as string).sort();
const acknowledgedRules = (synth: Synthesized) =>
  synth.stack.httpApi.api.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
/** The console's config.js as its PutObject call writes it, the API's URL (a CloudFormation join) as `<url>`. */
function consoleConfig(synth: Synthesized): Json {
  const call = consoleCalls(synth.json).find((create) => create.parameters.Key === 'site/config.js');
  if (!call) throw new Error('no PutObject of site/config.js');
  return JSON.parse((call.parameters.Body as string).replace(/^window\.TIDEWATCH_CONFIG = /, '').replace(/;\n$/, '')) as Json;
}

const READ_ROUTES = ['GET /files/{id}', 'GET /jobs/{id}', 'POST /jobs', 'POST /presign'];

describe.each(Object.keys(MODES) as (keyof typeof MODES)[])('apiAuth of the %s synth', (mode) => {
  const synth = synths[mode];

  it('has no unacknowledged cdk-nag finding', () => {
    expect(synth.violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath)}`)).toEqual([]);
  });
});

describe('apiAuth none (the default)', () => {
  const synth = synths.none;

  it('leaves every route anonymous, with no authorizer', () => {
    expect(routes(synth).map((route) => route.AuthorizationType)).toEqual(routes(synth).map(() => 'NONE'));
    expect(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Authorizer')).toEqual({});
  });

  it('acknowledges the open API to cdk-nag, with its reason', () => {
    expect(acknowledgedRules(synth)).toEqual(['Annotation::AwsSolutions-APIG4']);
  });

  it('has no GET /items: it would list everyone’s items to anyone', () => {
    expect(routeKeys(synth)).toEqual(READ_ROUTES);
    expect(synth.stack.itemsApi).toBeUndefined();
  });

  it('tells the console to list only what this browser created, without a token', () => {
    expect(consoleConfig(synth)).toEqual({ apiUrl: 'https://TOKEN.execute-api.TOKEN.TOKEN/', apiAuth: 'none', listsItems: false });
  });
});

describe('apiAuth iam', () => {
  const synth = synths.iam;

  it('puts every route behind SigV4 (AWS_IAM)', () => {
    expect(routeKeys(synth)).toEqual([...READ_ROUTES, 'GET /items'].sort());
    for (const route of routes(synth)) expect(route.AuthorizationType).toBe('AWS_IAM');
  });

  it('makes no open-API acknowledgement', () => {
    expect(acknowledgedRules(synth)).toEqual([]);
  });

  it('gives the console no token prompt: it cannot sign, and says so by staying anonymous', () => {
    expect(consoleConfig(synth)).toMatchObject({ apiAuth: 'none', listsItems: true });
  });
});

describe('apiAuth jwt', () => {
  const synth = synths.jwt;
  const { ref } = references(synth.stack);

  it('checks a bearer token of the configured issuer and audiences on every route', () => {
    const authorizers = Object.entries(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties).toMatchObject({
      ApiId: ref(synth.stack.httpApi.api),
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: ['console-client', 'cli-client'] },
    });
    expect(routeKeys(synth)).toEqual([...READ_ROUTES, 'GET /items'].sort());
    for (const route of routes(synth)) expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it('lets a browser send its token across origins (CORS allows the authorization header)', () => {
    const [api] = Object.values(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Api'));
    expect(api!.Properties.CorsConfiguration.AllowHeaders).toEqual(['content-type', 'authorization']);
  });

  it('makes no open-API acknowledgement', () => {
    expect(acknowledgedRules(synth)).toEqual([]);
  });

  it('tells the console to ask for a bearer token and to list all items', () => {
    expect(consoleConfig(synth)).toMatchObject({ apiAuth: 'jwt', listsItems: true });
  });
});

describe('the local stage (apiAuth none)', () => {
  const synth = synths.local;

  it('has GET /items, anonymous: nobody else reaches the local cloud', () => {
    expect(routeKeys(synth)).toEqual([...READ_ROUTES, 'GET /items'].sort());
    for (const route of routes(synth)) expect(route.AuthorizationType).toBe('NONE');
    expect(consoleConfig(synth)).toMatchObject({ apiAuth: 'none', listsItems: true });
  });
});

describe('apiAuth config', () => {
  it.each([
    [{ apiAuth: 'cognito' }, /apiAuth must be one of none, iam, jwt, got "cognito"/],
    [{ apiAuth: 'jwt' }, /apiAuth jwt needs jwtIssuer .* and jwtAudience/],
    [{ apiAuth: 'jwt', jwtIssuer: ISSUER }, /apiAuth jwt needs jwtIssuer .* and jwtAudience/],
    [{ apiAuth: 'jwt', jwtIssuer: 'http://issuer.example', jwtAudience: ['a'] }, /jwtIssuer must match/],
    [{ apiAuth: 'jwt', jwtIssuer: ISSUER, jwtAudience: [] }, /jwtAudience must be a non-empty list/],
    [{ jwtIssuer: ISSUER }, /jwtIssuer apply only with apiAuth jwt, got apiAuth none/],
    [{ apiAuth: 'iam', jwtAudience: ['a'] }, /jwtAudience apply only with apiAuth jwt, got apiAuth iam/],
    [{ stage: 'local', apiAuth: 'iam' }, /apiAuth must be none on the local stage/],
  ])('refuses %j', (raw, message) => {
    expect(() => validateConfig(raw)).toThrow(ConfigError);
    expect(() => validateConfig(raw)).toThrow(message);
  });

  it('reads jwt settings, a single audience given as text too', () => {
    expect(validateConfig({ apiAuth: 'jwt', jwtIssuer: ISSUER, jwtAudience: 'console-client' })).toMatchObject({ apiAuth: 'jwt', jwtIssuer: ISSUER, jwtAudience: ['console-client'] });
    expect(validateConfig({})).toMatchObject({ apiAuth: 'none' });
    expect(validateConfig({})).not.toHaveProperty('jwtIssuer');
  });
});
