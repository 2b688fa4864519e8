import type { FunctionDef } from '../model/types.js';
import type { CodeRef } from './code.port.js';
import type { Page, PageRequest } from './page.js';

/** A published, immutable function version (Lambda PublishVersion). */
export interface FunctionVersionDef {
  /** "1", "2", ...: allocated by storage, never reused for the life of the function. */
  version: string;
  /** The `$LATEST` configuration as it was when published. */
  config: FunctionDef;
  /** The code package the version runs. */
  code: CodeRef;
  description?: string;
  revisionId: string;
  /** Lambda's `yyyy-MM-ddTHH:mm:ss.SSS+0000` string. */
  lastModified: string;
}

/** Weighted routing of an alias to a second version (Lambda AliasRoutingConfiguration). */
export interface AliasRoutingConfig {
  /** version -> weight in 0..1 */
  additionalVersionWeights?: Record<string, number>;
}

/** A function alias (Lambda CreateAlias). */
export interface AliasDef {
  name: string;
  /** A published version or `$LATEST`. */
  functionVersion: string;
  description?: string;
  routingConfig?: AliasRoutingConfig;
  revisionId: string;
}

/** One statement of a Lambda resource-based policy (`{"Sid","Effect","Principal","Action",...}`). */
export type PolicyStatement = Record<string, unknown>;

/** The resource policy of a function or of one qualifier (version or alias). */
export interface PolicyDef {
  statements: PolicyStatement[];
  revisionId: string;
}

/**
 * Storage port of the function aggregate root: the `$LATEST` configuration. Deleting a function
 * deletes its versions, aliases and policies (Lambda DeleteFunction without qualifier).
 */
export interface FunctionsPort {
  get(functionName: string): Promise<FunctionDef | undefined>;
  /** Creates or replaces `$LATEST`; versions, aliases and the version counter are kept. */
  put(fn: FunctionDef): Promise<void>;
  /** Deletes the function with its versions, aliases and policies; false when it did not exist. */
  delete(functionName: string): Promise<boolean>;
  /** Functions in creation order. */
  list(page?: PageRequest): Promise<Page<FunctionDef>>;
}

/** Published versions of a function. */
export interface FunctionVersionsPort {
  /**
   * Allocates the next version number (1 + the highest ever published, even if deleted) and stores
   * the version. Throws NOT_FOUND when the function does not exist.
   */
  publish(functionName: string, draft: Omit<FunctionVersionDef, 'version'>): Promise<FunctionVersionDef>;
  get(functionName: string, version: string): Promise<FunctionVersionDef | undefined>;
  /** Deletes one version; false when it did not exist. */
  delete(functionName: string, version: string): Promise<boolean>;
  /** Versions in publication order. */
  list(functionName: string, page?: PageRequest): Promise<Page<FunctionVersionDef>>;
}

/** Aliases of a function. */
export interface FunctionAliasesPort {
  get(functionName: string, name: string): Promise<AliasDef | undefined>;
  /** Creates or replaces an alias. Throws NOT_FOUND when the function does not exist. */
  put(functionName: string, alias: AliasDef): Promise<void>;
  delete(functionName: string, name: string): Promise<boolean>;
  /** Aliases in creation order. */
  list(functionName: string, page?: PageRequest): Promise<Page<AliasDef>>;
}

/**
 * Resource policies: one per function (qualifier undefined) and one per version/alias qualifier,
 * as Lambda keeps them (AddPermission `?Qualifier=`).
 */
export interface FunctionPoliciesPort {
  get(functionName: string, qualifier?: string): Promise<PolicyDef | undefined>;
  /** Creates or replaces the policy. Throws NOT_FOUND when the function does not exist. */
  put(functionName: string, qualifier: string | undefined, policy: PolicyDef): Promise<void>;
  delete(functionName: string, qualifier?: string): Promise<boolean>;
}
