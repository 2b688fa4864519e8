/**
 * The in-memory model of everything Portico serves. The config file and the control plane are two
 * views of this one model: both produce these shapes, and the data plane compiles them.
 * Member names follow the AWS wire names (apigatewayv2 camelCase, Lambda PascalCase concepts) so the
 * control plane maps them without renaming.
 */

/** Where a resource came from: the config file (read-only through the control plane) or the control plane. */
export type ResourceSource = 'config' | 'api';

export type ProtocolType = 'HTTP' | 'WEBSOCKET' | 'REST';

export type IntegrationType = 'HTTP_PROXY' | 'AWS_PROXY' | 'MOCK' | 'HTTP' | 'AWS';

export type PayloadFormatVersion = '1.0' | '2.0';

export type AuthorizationType = 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';

/** An API Gateway v2 integration (HTTP_PROXY to a URL, AWS_PROXY to a function). */
export interface IntegrationDef {
  integrationId: string;
  integrationType: IntegrationType;
  /** URL for HTTP_PROXY; function ARN (plain or apigateway invocations form) or name for AWS_PROXY. */
  integrationUri?: string;
  /** HTTP method used towards the integration; `ANY` forwards the client's method. */
  integrationMethod?: string;
  payloadFormatVersion: PayloadFormatVersion;
  /** 50..30000 for HTTP APIs. */
  timeoutInMillis: number;
  connectionType?: 'INTERNET' | 'VPC_LINK';
  description?: string;
  /** HTTP API parameter mapping: `append|overwrite|remove:header.x` etc. -> value expression. */
  requestParameters?: Record<string, string>;
  /** Keyed by integration status code ("200".."599"). */
  responseParameters?: Record<string, Record<string, string>>;
  /** WebSocket / REST only. */
  requestTemplates?: Record<string, string>;
  templateSelectionExpression?: string;
  passthroughBehavior?: string;
  contentHandlingStrategy?: string;
  credentialsArn?: string;
  integrationSubtype?: string;
  tlsConfig?: { serverNameToVerify?: string };
  apiGatewayManaged?: boolean;
}

/** An API Gateway v2 route: `METHOD /path`, `$default`, or a WebSocket route key. */
export interface RouteDef {
  routeId: string;
  routeKey: string;
  /** Integration id this route targets (the wire form is `integrations/{id}`). */
  target?: string;
  authorizationType: AuthorizationType;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, { required: boolean }>;
  routeResponseSelectionExpression?: string;
  modelSelectionExpression?: string;
  requestModels?: Record<string, string>;
  apiGatewayManaged?: boolean;
}

export interface JwtConfiguration {
  issuer?: string;
  audience?: string[];
}

/** An authorizer (stored now; enforced by the API management capability). */
export interface AuthorizerDef {
  authorizerId: string;
  name: string;
  authorizerType: 'REQUEST' | 'JWT';
  identitySource: string[];
  authorizerUri?: string;
  authorizerCredentialsArn?: string;
  authorizerPayloadFormatVersion?: PayloadFormatVersion;
  authorizerResultTtlInSeconds?: number;
  enableSimpleResponses?: boolean;
  identityValidationExpression?: string;
  jwtConfiguration?: JwtConfiguration;
}

export interface CorsConfiguration {
  allowOrigins?: string[];
  allowCredentials?: boolean;
  exposeHeaders?: string[];
  maxAge?: number;
  allowMethods?: string[];
  allowHeaders?: string[];
}

export interface RouteSettings {
  throttlingBurstLimit?: number;
  throttlingRateLimit?: number;
  detailedMetricsEnabled?: boolean;
  dataTraceEnabled?: boolean;
  loggingLevel?: 'ERROR' | 'INFO' | 'OFF';
}

export interface AccessLogSettings {
  destinationArn?: string;
  format?: string;
}

/** What a deployment freezes: everything of an API that changes what its stages serve. */
export interface ApiSnapshot {
  routes: RouteDef[];
  integrations: IntegrationDef[];
  authorizers: AuthorizerDef[];
  corsConfiguration?: CorsConfiguration;
}

/** An immutable snapshot of an API's configuration that stages point at. */
export interface DeploymentDef {
  deploymentId: string;
  createdDate: string;
  description?: string;
  autoDeployed: boolean;
  deploymentStatus: 'DEPLOYED' | 'PENDING' | 'FAILED';
  deploymentStatusMessage?: string;
  snapshot: ApiSnapshot;
}

export interface StageDef {
  stageName: string;
  description?: string;
  stageVariables: Record<string, string>;
  autoDeploy: boolean;
  /** The deployment this stage serves; absent = nothing deployed yet (the stage answers 404). */
  deploymentId?: string;
  defaultRouteSettings?: RouteSettings;
  routeSettings?: Record<string, RouteSettings>;
  accessLogSettings?: AccessLogSettings;
  clientCertificateId?: string;
  lastDeploymentStatusMessage?: string;
  createdDate: string;
  lastUpdatedDate: string;
  tags?: Record<string, string>;
  apiGatewayManaged?: boolean;
}

export interface ApiDef {
  apiId: string;
  name: string;
  protocolType: ProtocolType;
  description?: string;
  version?: string;
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  corsConfiguration?: CorsConfiguration;
  disableExecuteApiEndpoint: boolean;
  disableSchemaValidation?: boolean;
  createdDate: string;
  tags: Record<string, string>;
  /** The working copy (what the next deployment will snapshot). */
  routes: RouteDef[];
  integrations: IntegrationDef[];
  authorizers: AuthorizerDef[];
  stages: StageDef[];
  deployments: DeploymentDef[];
  source: ResourceSource;
  /** Extra fields for imported definitions (warnings etc.). */
  importInfo?: string[];
  warnings?: string[];
}

export interface ApiMappingDef {
  apiMappingId: string;
  apiId: string;
  stage: string;
  /** Base path; '' for the `(none)` mapping. May contain `/` for multi-level mappings. */
  apiMappingKey: string;
}

export interface DomainNameDef {
  domainName: string;
  apiMappings: ApiMappingDef[];
  domainNameConfigurations?: Array<Record<string, unknown>>;
  tags?: Record<string, string>;
  source: ResourceSource;
}

export type FunctionRuntimeName =
  'nodejs20.x' | 'nodejs22.x' | 'nodejs24.x' | 'provided.al2023' | 'provided.al2';

/** A function as configured (the Lambda `$LATEST` view). */
export interface FunctionDef {
  functionName: string;
  runtime: FunctionRuntimeName;
  handler: string;
  /** Absolute path of the unpacked code directory. */
  codeDir: string;
  description?: string;
  /** Seconds, 1..900, default 3. */
  timeout: number;
  /** MB, 128..10240, default 128. */
  memorySize: number;
  environment: Record<string, string>;
  reservedConcurrentExecutions?: number;
  /**
   * Portico extension: Node environments as child processes (`process`, default) or worker threads
   * (`thread`: cheaper, shares the gateway's process; docs/functions.md). Ignored for custom runtimes.
   */
  isolation?: 'process' | 'thread';
  source: ResourceSource;
  /** base64 SHA-256 of the deployment package (or of the directory's files). */
  codeSha256?: string;
  codeSize?: number;
  lastModified?: string;
  revisionId?: string;
  role?: string;
  /** Lambda resource tags (TagResource). */
  tags?: Record<string, string>;
  /**
   * Asynchronous invocation settings (PutFunctionEventInvokeConfig), by qualifier: `$LATEST`, a
   * version number or an alias name. Kept on the `$LATEST` definition only (a published version's
   * snapshot has none); changing them does not change the function's `RevisionId`.
   */
  eventInvokeConfigs?: Record<string, EventInvokeConfigDef>;
  /** Lambda's logging settings (LoggingConfig); unset: text format, `/aws/lambda/<name>`. */
  loggingConfig?: LoggingConfigDef;
}

/** Application log levels, lowest first (Lambda's LoggingConfig.ApplicationLogLevel). */
export type ApplicationLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
/** Platform (system) log levels, lowest first (LoggingConfig.SystemLogLevel). */
export type SystemLogLevel = 'DEBUG' | 'INFO' | 'WARN';

/** How a function's logs are written (LoggingConfig). */
export interface LoggingConfigDef {
  /** `Text` (START/END/REPORT and TAB-separated lines) or `JSON` (one JSON object per line). */
  logFormat: 'Text' | 'JSON';
  /** JSON only: the lowest level of application logs kept (Lambda's default INFO). */
  applicationLogLevel?: ApplicationLogLevel;
  /** JSON only: the lowest level of platform logs kept (Lambda's default INFO). */
  systemLogLevel?: SystemLogLevel;
  /** The log group the function reports (`/aws/lambda/<name>` when unset). */
  logGroup?: string;
}

/** How Lambda handles the `Event` invocations of one qualifier (FunctionEventInvokeConfig). */
export interface EventInvokeConfigDef {
  /** Retries after a function error, 0..2 (Lambda's default when unset: 2). */
  maximumRetryAttempts?: number;
  /** How long an event may wait to be run, 60..21600 s (default when unset: 21600, six hours). */
  maximumEventAgeInSeconds?: number;
  /** ARN that receives the invocation record of each successful event. */
  onSuccess?: string;
  /** ARN that receives the invocation record of each event that failed every attempt or expired. */
  onFailure?: string;
  /** When it was last set, ms since the epoch (unset for config-file functions: the config's load). */
  lastModified?: number;
}

/** The whole model the data plane compiles. */
export interface GatewayModel {
  apis: ApiDef[];
  domainNames: DomainNameDef[];
  functions: FunctionDef[];
}
