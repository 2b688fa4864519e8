// A Lambda-style handler: runs unchanged on AWS Lambda behind an HTTP API (payload format 2.0).
let invocations = 0; // module state survives between warm invocations, as on Lambda

export const handler = async (event, context) => {
  invocations += 1;
  const name = event.queryStringParameters?.name ?? 'world';
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      message: `${process.env.GREETING ?? 'Hello'}, ${name}!`,
      routeKey: event.routeKey ?? null,
      stage: event.requestContext?.stage ?? null,
      requestId: context.awsRequestId,
      warmInvocations: invocations,
    }),
  };
};
