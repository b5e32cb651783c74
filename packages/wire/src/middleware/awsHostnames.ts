// The DNS suffixes of AWS's own service endpoints, in every partition (commercial, China,
// GovCloud shares the first; ISO, ISO-B, ISO-E, ISO-F; the European Sovereign Cloud) and the
// dual-stack `api.aws` names. VPC interface endpoints (`vpce-….kinesis.REGION.vpce.amazonaws.com`)
// end in one of them too.
const AWS_SUFFIXES = /(?:^|\.)(?:amazonaws\.com|amazonaws\.com\.cn|api\.aws|amazonaws\.eu|c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)\.?$/i;

/** Whether a request goes to an AWS service endpoint (rather than an emulator or a proxy). */
export function isAwsHostname(hostname: string): boolean {
  return AWS_SUFFIXES.test(hostname);
}
