export { importOpenApi, type ImportedApi, type ImportOptions } from './import.js';
export { exportOpenApi, type ExportInput } from './export.js';
export { parseDocument, declaredBasePath, routePrefix, type BasePathMode } from './document.js';
