import type {
  ApiDef,
  AuthorizerDef,
  DeploymentDef,
  IntegrationDef,
  RouteDef,
  StageDef,
} from '../model/types.js';
import type { Page, PageRequest } from './page.js';

/** The child collections of an API, each stored as its own rows so one child changes atomically alone. */
export interface ApiChildren {
  routes: RouteDef;
  integrations: IntegrationDef;
  authorizers: AuthorizerDef;
  stages: StageDef;
  deployments: DeploymentDef;
}

/** Name of one child collection of an API. */
export type ApiChildKind = keyof ApiChildren;

/** Every child collection, in the order `get` assembles them. */
export const API_CHILD_KINDS: readonly ApiChildKind[] = [
  'routes',
  'integrations',
  'authorizers',
  'stages',
  'deployments',
];

/** The API-level fields (what GetApi returns), without child collections. */
export type ApiHeader = Omit<ApiDef, ApiChildKind>;

/** The identifier of a child within its API (stages are keyed by name, as in AWS). */
export function apiChildId<K extends ApiChildKind>(kind: K, child: ApiChildren[K]): string {
  switch (kind) {
    case 'routes':
      return (child as RouteDef).routeId;
    case 'integrations':
      return (child as IntegrationDef).integrationId;
    case 'authorizers':
      return (child as AuthorizerDef).authorizerId;
    case 'stages':
      return (child as StageDef).stageName;
    default:
      return (child as DeploymentDef).deploymentId;
  }
}

/** Splits an API into its header and child collections. */
export function splitApi(api: ApiDef): {
  header: ApiHeader;
  children: { [K in ApiChildKind]: ApiChildren[K][] };
} {
  const { routes, integrations, authorizers, stages, deployments, ...header } = api;
  return { header, children: { routes, integrations, authorizers, stages, deployments } };
}

/**
 * Storage port of the API aggregate (apigatewayv2 API with routes, integrations, authorizers, stages,
 * deployments). Every method is atomic on its own; use `Store.transaction` to group several.
 * Lists are in creation order; replacing an item keeps its place, delete + create moves it to the end.
 */
export interface ApisPort {
  /** The full API with its children in creation order, or undefined. */
  get(apiId: string): Promise<ApiDef | undefined>;
  /** Creates or replaces the API: header, and each child collection replaced by the given set. */
  put(api: ApiDef): Promise<void>;
  /** Replaces only the API-level fields; children are untouched. Throws NOT_FOUND for a missing API. */
  putHeader(header: ApiHeader): Promise<void>;
  /** Deletes the API and all its children; false when it did not exist. */
  delete(apiId: string): Promise<boolean>;
  /** Full APIs (with children) in creation order. */
  list(page?: PageRequest): Promise<Page<ApiDef>>;
  /** One child, or undefined (also when the API does not exist). */
  getChild<K extends ApiChildKind>(apiId: string, kind: K, id: string): Promise<ApiChildren[K] | undefined>;
  /** Creates or replaces one child. Throws NOT_FOUND when the API does not exist. */
  putChild<K extends ApiChildKind>(apiId: string, kind: K, child: ApiChildren[K]): Promise<void>;
  /** Deletes one child; false when it did not exist. */
  deleteChild(apiId: string, kind: ApiChildKind, id: string): Promise<boolean>;
  /** One collection of children in creation order (empty when the API does not exist). */
  listChildren<K extends ApiChildKind>(
    apiId: string,
    kind: K,
    page?: PageRequest,
  ): Promise<Page<ApiChildren[K]>>;
}
