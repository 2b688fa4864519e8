import type { ApiMappingDef, DomainNameDef } from '../model/types.js';
import type { Page, PageRequest } from './page.js';

/** The domain-name fields without its API mappings (what GetDomainName returns). */
export type DomainNameHeader = Omit<DomainNameDef, 'apiMappings'>;

/**
 * Storage port of the custom domain name aggregate and its API mappings. Mappings are rows of their
 * own (keyed by `apiMappingId`), so creating or deleting one never rewrites the domain.
 * Uniqueness of `apiMappingKey` within a domain is a control-plane rule (409 ConflictException).
 */
export interface DomainNamesPort {
  /** The domain with its mappings in creation order, or undefined. */
  get(domainName: string): Promise<DomainNameDef | undefined>;
  /** Creates or replaces the domain, replacing its set of mappings with the given one. */
  put(domain: DomainNameDef): Promise<void>;
  /** Deletes the domain and its mappings; false when it did not exist. */
  delete(domainName: string): Promise<boolean>;
  /** Domains (with mappings) in creation order. */
  list(page?: PageRequest): Promise<Page<DomainNameDef>>;
  /** One mapping of a domain, or undefined. */
  getMapping(domainName: string, apiMappingId: string): Promise<ApiMappingDef | undefined>;
  /** Creates or replaces one mapping. Throws NOT_FOUND when the domain does not exist. */
  putMapping(domainName: string, mapping: ApiMappingDef): Promise<void>;
  /** Deletes one mapping; false when it did not exist. */
  deleteMapping(domainName: string, apiMappingId: string): Promise<boolean>;
  /** The mappings of a domain in creation order. */
  listMappings(domainName: string, page?: PageRequest): Promise<Page<ApiMappingDef>>;
  /** Every mapping (of any domain) that targets an API, in creation order (DeleteApi cleans them up). */
  listMappingsForApi(apiId: string): Promise<Array<{ domainName: string; mapping: ApiMappingDef }>>;
}
