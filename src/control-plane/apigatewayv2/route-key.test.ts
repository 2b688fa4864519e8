import { describe, expect, it } from 'vitest';
import { routeKeyProblem } from './route-key.js';

describe('routeKeyProblem', () => {
  it.each([
    '$default',
    'GET /',
    'GET /pets',
    'ANY /{proxy+}',
    'POST /orders/{orderId}/items',
    'GET /a/{b}/{c+}',
    'DELETE /v1.0/x_y~z',
  ])('accepts %s', (key) => {
    expect(routeKeyProblem(key)).toBeUndefined();
  });

  const format =
    'The provided route key is not formatted properly for HTTP protocol. Format should be "<HTTP METHOD> /<RESOURCE PATH>" or "$default"';
  it.each([
    ['GET pets', format],
    ['get /pets', format],
    ['$connect', format],
    [
      'FETCH /x',
      `${format}; FETCH is not a supported method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)`,
    ],
    ['GET /a//b', `${format}; the path has an empty segment`],
    ['GET /a/', `${format}; the path has an empty segment`],
    ['GET /{p+}/b', `${format}; a greedy path variable {p+} must be the last segment`],
    ['GET /{id}/{id}', `${format}; path variable {id} is used twice`],
    ['GET /a{b}', `${format}; invalid path segment "a{b}"`],
  ])('refuses %s', (key, problem) => {
    expect(routeKeyProblem(key)).toBe(problem);
  });
});
