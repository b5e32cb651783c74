/**
 * @kinesis-toolkit/agent — the Kinesis Agent for Node.js: runs an existing agent.json (several
 * flows, Kinesis streams through the KPL and Firehose delivery streams through PutRecordBatch),
 * tails files across rotations with checkpoints, and converts records as the agent does.
 * @packageDocumentation
 */
// agent.json
export { KinesisAgent } from './KinesisAgent';
export type { FlowSummary, KinesisAgentContext } from './KinesisAgent';
export { AGENT_RECORD_TTL_MS, parseAgentJson, readAgentJson } from './config/readAgentJson';
export type { AgentFlow, AgentJson, AgentSettings } from './config/readAgentJson';
export { resolveMetricsSettings } from './config/metricsSettings';
export type { AgentMetricsSettings } from './config/metricsSettings';
export { FLOW_DEFAULTS, FLOW_KEYS_ALL, GENERAL_DEFAULTS, GENERAL_KEYS } from './config/agentKeys';
export type { KeyHandling } from './config/agentKeys';
export { createAgentClients } from './aws/agentClients';
export type { AgentClients } from './aws/agentClients';
export { ASSUME_ROLE_SESSION_NAME, assumeRoleCredentials } from './aws/AssumeRoleCredentials';
export type { AssumeRoleOptions, TemporaryCredentials } from './aws/AssumeRoleCredentials';
// one flow (kinesis-toolkit produce)
export { ProduceAgent } from './pipeline/ProduceAgent';
export type { ProduceAgentContext, ProduceSummary } from './pipeline/ProduceAgent';
export {
  FIREHOSE_MAX_BATCH_BYTES,
  FIREHOSE_MAX_BATCH_RECORDS,
  FIREHOSE_MAX_RECORD_BYTES,
  KINESIS_MAX_BATCH_BYTES,
  PRODUCE_DEFAULTS,
  compileStartPattern,
  resolveProduceOptions,
} from './config/ProduceOptions';
export type { ProduceOptions, ResolvedProduceOptions } from './config/ProduceOptions';
export { FLOW_KEYS, readAgentConfig } from './config/readAgentConfig';
export type { AgentConfig } from './config/readAgentConfig';
export { RecordPipeline } from './pipeline/RecordPipeline';
export type { PipelineStats, RecordPipelineOptions, RecordPutter } from './pipeline/RecordPipeline';
export { PartitionKeyStrategy } from './pipeline/PartitionKeyStrategy';
export type { PartitionKeyMode } from './pipeline/PartitionKeyStrategy';
export { RecordProcessingError } from './pipeline/RecordProcessingError';
export type { RecordProcessingErrorCode } from './pipeline/RecordProcessingError';
export type { SourceRecord, RecordSink } from './pipeline/SourceRecord';
// destinations
export { FirehoseProducer } from './destinations/FirehoseProducer';
export { AgentMetrics } from './metrics/AgentMetrics';
export { AgentMetricsPublisher } from './metrics/AgentMetricsPublisher';
export { LogMetricsSink } from './metrics/LogMetricsSink';
export type { SendCallOutcome } from './metrics/AgentMetrics';
export type { FirehosePutResult } from './destinations/FirehoseProducer';
export { FIREHOSE_PRODUCER_DEFAULTS, resolveFirehoseProducerOptions } from './destinations/FirehoseProducerOptions';
export type { FirehoseProducerOptions, ResolvedFirehoseProducerOptions } from './destinations/FirehoseProducerOptions';
// files and checkpoints
export { FileTailer } from './tailing/FileTailer';
export type { FileTailerOptions } from './tailing/FileTailer';
export { GlobLister } from './tailing/GlobLister';
export type { ListedFile, Listing } from './tailing/GlobLister';
export { CheckpointFile } from './checkpoint/CheckpointFile';
export type { CheckpointState, FileCheckpoint } from './checkpoint/CheckpointFile';
export { AgentCheckpointFile } from './checkpoint/AgentCheckpointFile';
export type { FlowCheckpoints } from './checkpoint/FlowCheckpoints';
export { CheckpointFileError } from './checkpoint/CheckpointFileError';
// processing
export { buildConverters, needsEc2Metadata } from './processing/buildConverters';
export type { ConverterContext, DataProcessingOption } from './processing/buildConverters';
export type { DataConverter } from './processing/DataConverter';
export { EC2_METADATA_FIELDS } from './processing/AddEc2MetadataConverter';
export { Imds } from './ec2/Imds';
export type { ImdsOptions, InstanceMetadata } from './ec2/Imds';
export { Ec2MetadataSource } from './ec2/Ec2MetadataSource';
// errors
export { AgentError } from './errors/AgentError';
export type { AgentErrorCode } from './errors/AgentError';
