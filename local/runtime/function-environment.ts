/**
 * The environment a local function runs with: its template environment plus what the Lambda service
 * sets, pointed at the local endpoint. Nothing leaks in from the developer's shell (no real AWS
 * credentials, no POWERTOOLS_DEV), so a handler behaves here as it does in AWS.
 */

export interface FunctionEnvironmentInput {
  /** The function's physical name. */
  readonly functionName: string;
  readonly memoryMiB: number;
  /** `index.handler` (entry file and export), for `_HANDLER`. */
  readonly handler: string;
  /** The template's environment, intrinsics resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The local AWS endpoint every SDK client in the function talks to. */
  readonly endpoint: string;
  readonly region: string;
}

export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  const { POWERTOOLS_DEV: _ignored, ...templateEnvironment } = input.environment;
  return {
    ...templateEnvironment,
    AWS_ENDPOINT_URL: input.endpoint,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    // The local endpoint accepts any credentials; fixed ones keep real keys from the shell out of the functions.
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memoryMiB),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${input.functionName}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: input.handler,
    // There is no X-Ray daemon locally: the tracer stays off so segments are not sent to nowhere.
    POWERTOOLS_TRACE_ENABLED: 'false',
    // And the X-Ray SDK under it in manual mode: in its automatic mode it keeps a segment context with
    // cls-hooked's async hook, enabled at load, so every promise of the function paid a callback; in
    // manual mode it installs none, and a tracer that is off asks it for nothing.
    AWS_XRAY_MANUAL_MODE: 'true',
    // The functions run on this machine's Node here but on nodejs24.x in AWS, where the SDK has
    // nothing to warn about: its Node-version warning would only add nine lines to every cold start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
