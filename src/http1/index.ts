/** Portico's HTTP/1.1 server core (the data plane's listener). */
export { Http1Server, type Http1ServerOptions } from './server.js';
export { Http1Request, RequestBody } from './request.js';
export { Http1Response } from './response.js';
export { httpDate } from './http-date.js';
