// Minimal CloudFormation custom-resource protocol: run the work, then PUT the outcome to the
// pre-signed ResponseURL. Plain CommonJS, no dependencies besides the Lambda runtime.
'use strict';

async function respond(event, status, outcome) {
  const body = Buffer.from(
    JSON.stringify({
      Status: status,
      Reason: outcome.reason ?? 'See the function log',
      PhysicalResourceId: outcome.physicalResourceId ?? event.PhysicalResourceId ?? event.LogicalResourceId,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: outcome.data ?? {},
    }),
  );
  // A Buffer body sends no content-type, which the pre-signed S3 URL does not sign.
  const response = await fetch(event.ResponseURL, { method: 'PUT', body });
  if (!response.ok) throw new Error(`CloudFormation response failed with HTTP ${response.status}`);
}

/** Wraps `work(event) -> { physicalResourceId?, data? }` as a custom-resource handler. */
exports.customResource = (work) => async (event) => {
  try {
    const outcome = (await work(event)) ?? {};
    await respond(event, 'SUCCESS', outcome);
  } catch (error) {
    // Messages are written to be safe to show: no secret values ever go into them.
    console.error(JSON.stringify({ requestType: event.RequestType, error: error.message }));
    await respond(event, 'FAILED', { reason: String(error.message).slice(0, 400) });
  }
};
