/**
 * The public HTTP API (payload format 2.0): CORS from config, a `$default` stage with JSON access logs
 * and throttling, and one authorizer for every route from `apiAuth`: none, IAM (SigV4) or a JWT
 * authorizer. Routes are added by the constructs that own their functions.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { TidewatchConfig } from './config';
import { acknowledge } from './nag';

export interface TidewatchHttpApiProps extends Pick<TidewatchConfig, 'apiAuth' | 'jwtIssuer' | 'jwtAudience'> {
  /** Origins allowed to call the API from a browser. */
  readonly allowedOrigins: readonly string[];
  /** Steady-state requests per second across all routes. @default 50 */
  readonly throttleRateLimit?: number;
  /** Burst of requests across all routes. @default 100 */
  readonly throttleBurstLimit?: number;
  /** How long access logs are kept. @default logs.RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: logs.RetentionDays;
}

/** The fields of one access log line (HTTP API `$context` variables). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
};

export class TidewatchHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TidewatchHttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Tidewatch: presigned uploads and jobs',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.OPTIONS],
        // A browser sends its bearer token in `authorization`; only jwt callers need it.
        allowHeaders: props.apiAuth === 'jwt' ? ['content-type', 'authorization'] : ['content-type'],
        maxAge: Duration.hours(1),
      },
      defaultAuthorizer: routeAuthorizer(props),
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 50, burstLimit: props.throttleBurstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    if (props.apiAuth === 'none') {
      acknowledge(this.api, {
        id: 'AwsSolutions-APIG4',
        reason:
          'apiAuth is none: the seeds define an anonymous API for browser clients without accounts. Exposure is bounded: stage throttling, presigned URLs that expire in minutes and only allow uploads/ with a declared type and size, job bodies capped in size, and no listing of all items outside the local stage.',
      });
    }
  }

  /** Base URL of the API, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }

  /** Routes `method path` to a function (payload format 2.0). */
  addLambdaRoute(method: apigw.HttpMethod, path: string, handler: lambda.IFunction): void {
    const integrationId = `${method}${path}`.replace(/[^A-Za-z0-9]/g, '');
    this.api.addRoutes({ path, methods: [method], integration: new HttpLambdaIntegration(integrationId, handler) });
  }
}

/** The authorizer of every route, from `apiAuth`; undefined leaves the API anonymous. */
function routeAuthorizer(props: TidewatchHttpApiProps): apigw.IHttpRouteAuthorizer | undefined {
  switch (props.apiAuth) {
    case 'none':
      return undefined;
    case 'iam':
      return new HttpIamAuthorizer();
    case 'jwt':
      // loadConfig requires both keys with apiAuth jwt.
      return new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer!, { jwtAudience: [...props.jwtAudience!] });
  }
}
