/**
 * JSON Schema of the Portico config file. One schema = the validation, the defaults and (through
 * `ConfigFile`) the types of the file. Names follow the AWS wire names where AWS has one.
 */
export const STAGE_NAME = '^(\\$default|[A-Za-z0-9_-]{1,128})$';
export const API_ID = '^[a-z0-9][a-z0-9-]{0,62}$';
export const FUNCTION_NAME = '^[A-Za-z0-9_-]{1,64}$';
export const ROUTE_KEY =
  "^(\\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /([A-Za-z0-9._~:@!$&'()*+,;=-]+|\\{[A-Za-z0-9_]+\\}|\\{[A-Za-z0-9_]+\\+\\})?(/([A-Za-z0-9._~:@!$&'()*+,;=-]+|\\{[A-Za-z0-9_]+\\}|\\{[A-Za-z0-9_]+\\+\\}))*)$";

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const integration = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { enum: ['HTTP_PROXY', 'AWS_PROXY'] },
    uri: { type: 'string', minLength: 1 },
    function: { type: 'string', pattern: '^[A-Za-z0-9_:$-]{1,170}$' },
    method: { enum: ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] },
    payloadFormatVersion: { enum: ['1.0', '2.0'] },
    timeoutInMillis: { type: 'integer', minimum: 50, maximum: 30000 },
    description: { type: 'string' },
    requestParameters: stringMap,
    responseParameters: {
      type: 'object',
      propertyNames: { pattern: '^[1-5][0-9][0-9]$' },
      additionalProperties: stringMap,
    },
  },
} as const;

const route = {
  type: 'object',
  additionalProperties: false,
  properties: {
    integration: { type: 'string' },
    authorizationType: { enum: ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'] },
    authorizerId: { type: 'string' },
    authorizationScopes: { type: 'array', items: { type: 'string' } },
    apiKeyRequired: { type: 'boolean' },
    operationName: { type: 'string' },
  },
} as const;

const routeSettings = {
  type: 'object',
  additionalProperties: false,
  properties: {
    throttlingBurstLimit: { type: 'integer', minimum: 0 },
    throttlingRateLimit: { type: 'number', minimum: 0 },
    detailedMetricsEnabled: { type: 'boolean' },
  },
} as const;

const stage = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    description: { type: 'string' },
    stageVariables: {
      type: 'object',
      maxProperties: 100,
      propertyNames: { pattern: '^[A-Za-z0-9_]{1,64}$' },
      additionalProperties: { type: 'string', pattern: '^[A-Za-z0-9-._~:/?#&=,]{1,512}$' },
    },
    defaultRouteSettings: routeSettings,
    routeSettings: { type: 'object', additionalProperties: routeSettings },
  },
} as const;

const cors = {
  type: 'object',
  additionalProperties: false,
  properties: {
    allowOrigins: { type: 'array', items: { type: 'string' } },
    allowCredentials: { type: 'boolean' },
    exposeHeaders: { type: 'array', items: { type: 'string' } },
    maxAge: { type: 'integer', minimum: -1, maximum: 86400 },
    allowMethods: { type: 'array', items: { type: 'string' } },
    allowHeaders: { type: 'array', items: { type: 'string' } },
  },
} as const;

const api = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    description: { type: 'string' },
    protocolType: { enum: ['HTTP'] },
    corsConfiguration: cors,
    disableExecuteApiEndpoint: { type: 'boolean' },
    tags: stringMap,
    integrations: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9_-]{1,128}$' },
      additionalProperties: integration,
    },
    routes: {
      type: 'object',
      propertyNames: { pattern: ROUTE_KEY },
      additionalProperties: { anyOf: [{ type: 'string' }, route] },
    },
    stages: {
      type: 'object',
      maxProperties: 10,
      propertyNames: { pattern: STAGE_NAME },
      additionalProperties: stage,
    },
  },
} as const;

const domainName = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiMappings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['apiId', 'stage'],
        properties: {
          apiId: { type: 'string', pattern: API_ID },
          stage: { type: 'string', pattern: STAGE_NAME },
          apiMappingKey: { type: 'string', pattern: '^$|^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$' },
        },
      },
    },
  },
} as const;

// A destination: a function of this file by name, or an ARN (checked in references.ts). 350 is
// Lambda's limit on DestinationConfig ARNs.
const destination = { type: 'string', minLength: 1, maxLength: 350 } as const;

// PutFunctionEventInvokeConfig's settings, with Lambda's bounds:
// https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
const eventInvokeConfig = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maximumRetryAttempts: { type: 'integer', minimum: 0, maximum: 2 },
    maximumEventAgeInSeconds: { type: 'integer', minimum: 60, maximum: 21600 },
    onSuccess: destination,
    onFailure: destination,
  },
} as const;

// Lambda's LoggingConfig, with its enums and LogGroup bounds (the Text-format-with-levels rule is
// checked in references.ts): https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html
const loggingConfig = {
  type: 'object',
  additionalProperties: false,
  properties: {
    logFormat: { enum: ['Text', 'JSON'] },
    applicationLogLevel: { enum: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] },
    systemLogLevel: { enum: ['DEBUG', 'INFO', 'WARN'] },
    logGroup: { type: 'string', minLength: 1, maxLength: 512, pattern: '^[.\\-_/#A-Za-z0-9]+$' },
  },
} as const;

const fn = {
  type: 'object',
  additionalProperties: false,
  required: ['handler', 'code'],
  properties: {
    runtime: { enum: ['nodejs20.x', 'nodejs22.x', 'nodejs24.x', 'provided.al2023', 'provided.al2'] },
    handler: { type: 'string', minLength: 1, maxLength: 128 },
    code: { type: 'string', minLength: 1 },
    description: { type: 'string', maxLength: 256 },
    timeout: { type: 'integer', minimum: 1, maximum: 900 },
    memorySize: { type: 'integer', minimum: 128, maximum: 10240 },
    environment: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'string' },
    },
    reservedConcurrentExecutions: { type: 'integer', minimum: 0, maximum: 1000 },
    isolation: { enum: ['process', 'thread'] },
    eventInvokeConfig,
    loggingConfig,
  },
} as const;

/** The schema of the whole file. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]$' },
        accountId: { type: 'string', pattern: '^[0-9]{12}$' },
      },
    },
    apis: { type: 'object', propertyNames: { pattern: API_ID }, additionalProperties: api },
    domainNames: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9.-]{1,253}$' },
      additionalProperties: domainName,
    },
    functions: { type: 'object', propertyNames: { pattern: FUNCTION_NAME }, additionalProperties: fn },
  },
} as const;

/** One integration as written in the file. */
export interface IntegrationConfig {
  type: 'HTTP_PROXY' | 'AWS_PROXY';
  uri?: string;
  function?: string;
  method?: string;
  payloadFormatVersion?: '1.0' | '2.0';
  timeoutInMillis?: number;
  description?: string;
  requestParameters?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
}

/** One route as written in the file (or just the integration id). */
export type RouteConfig =
  | string
  | {
      integration?: string;
      authorizationType?: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'JWT';
      authorizerId?: string;
      authorizationScopes?: string[];
      apiKeyRequired?: boolean;
      operationName?: string;
    };

/** One stage as written in the file. */
export interface StageConfig {
  description?: string;
  stageVariables?: Record<string, string>;
  defaultRouteSettings?: Record<string, number | boolean>;
  routeSettings?: Record<string, Record<string, number | boolean>>;
}

/** One API as written in the file. */
export interface ApiConfig {
  name?: string;
  description?: string;
  protocolType?: 'HTTP';
  corsConfiguration?: Record<string, unknown>;
  disableExecuteApiEndpoint?: boolean;
  tags?: Record<string, string>;
  integrations?: Record<string, IntegrationConfig>;
  routes?: Record<string, RouteConfig>;
  stages?: Record<string, StageConfig | null>;
}

/** One function as written in the file. */
export interface FunctionConfig {
  runtime?: string;
  handler: string;
  code: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, string>;
  reservedConcurrentExecutions?: number;
  /** Portico: how Node environments are isolated (default `process`). */
  isolation?: 'process' | 'thread';
  /** Asynchronous invocation settings of `$LATEST` (what PutFunctionEventInvokeConfig sets). */
  eventInvokeConfig?: {
    maximumRetryAttempts?: number;
    maximumEventAgeInSeconds?: number;
    /** A function of this file by name, or an ARN. */
    onSuccess?: string;
    /** A function of this file by name, or an ARN. */
    onFailure?: string;
  };
  /** Lambda's LoggingConfig: log format, levels (JSON only) and log group. */
  loggingConfig?: {
    /** Default `Text`. */
    logFormat?: 'Text' | 'JSON';
    applicationLogLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';
    systemLogLevel?: 'DEBUG' | 'INFO' | 'WARN';
    /** Default `/aws/lambda/<name>`. */
    logGroup?: string;
  };
}

/** The whole file, after validation. */
export interface ConfigFile {
  settings?: { region?: string; accountId?: string };
  apis?: Record<string, ApiConfig>;
  domainNames?: Record<
    string,
    { apiMappings?: Array<{ apiId: string; stage: string; apiMappingKey?: string }> }
  >;
  functions?: Record<string, FunctionConfig>;
}
