import { AGENT_METRICS } from './catalog/agentMetrics';
import { CONNECTOR_METRICS } from './catalog/connectorMetrics';
import { KCL_METRICS } from './catalog/consumerMetrics';
import { KPL_METRICS } from './catalog/producerMetrics';
import { otelInstrumentName } from './MetricDefinition';

describe('otelInstrumentName (the Java KCL OtelMetricNameTransformer rules)', () => {
  it.each([
    ['RecordsProcessed', 'aws.kinesis.client.records_processed'],
    ['MillisBehindLatest', 'aws.kinesis.client.consumer.lag.duration'],
    ['DataBytesProcessed', 'aws.kinesis.client.records.size'],
    ['NumWorkers', 'aws.kinesis.client.workers'],
    ['RecordProcessor.processRecords.Time', 'aws.kinesis.client.record_processor.process_records.duration'],
    ['KinesisDataFetcher.getRecords.Success', 'aws.kinesis.client.kinesis_data_fetcher.get_records.success'],
    ['RenewLease.Time', 'aws.kinesis.client.renew_lease.duration'],
    ['Time', 'aws.kinesis.client.time'],
    ['ActiveStreams.Count', 'aws.kinesis.client.active_streams'],
    ['CurrentState:3xWorker', 'aws.kinesis.client.current_state.3x_worker'],
    ['GSIReadyStatus', 'aws.kinesis.client.gsi_ready_status'],
  ])('%s → %s', (name, expected) => {
    expect(otelInstrumentName('aws.kinesis.client.', name)).toBe(expected);
  });
});

describe('the catalogs', () => {
  it('have the KPL names, units and levels of metrics_constants', () => {
    const summary = Object.values(KPL_METRICS).filter((metric) => metric.level === 'SUMMARY').map((metric) => metric.name);
    expect(summary.sort()).toEqual(['AllErrors', 'BufferingTime', 'ErrorsByCode', 'KinesisRecordsPut', 'UserRecordExpired', 'UserRecordsPut']);
    expect(Object.keys(KPL_METRICS)).toHaveLength(15);
    expect(KPL_METRICS.UserRecordsDataPut.unit).toBe('Bytes');
    expect(KPL_METRICS.KinesisRecordsDataPut.unit).toBe('Bytes');
    expect(KPL_METRICS.RequestTime.unit).toBe('Milliseconds');
    expect(KPL_METRICS.UserRecordsPut.otelName).toBe('aws.kinesis.producer.user_records_put');
  });

  it('give every KCL operation Success and Time', () => {
    for (const [operation, metrics] of Object.entries(KCL_METRICS)) {
      expect([operation, (metrics as Record<string, { unit: string }>).Success?.unit, (metrics as Record<string, { unit: string }>).Time?.unit]).toEqual([operation, 'Count', 'Milliseconds']);
    }
  });

  it('name every metric once per catalog, with a description', () => {
    for (const catalog of [KPL_METRICS, CONNECTOR_METRICS, AGENT_METRICS, ...Object.values(KCL_METRICS)]) {
      for (const [key, metric] of Object.entries(catalog)) {
        expect(metric.name).toBe(key);
        expect(metric.description.length).toBeGreaterThan(10);
      }
    }
  });
});
