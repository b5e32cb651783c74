import { AnalyticsWorker, fromDescribeApplication } from '@kinesis-toolkit/analytics';

// What `aws kinesisanalytics describe-application --application-name my-app` printed:
const config = fromDescribeApplication(JSON.parse(await readFile('my-app.json', 'utf8')));
const worker = new AnalyticsWorker({ config, kinesisClient, dynamoClient, s3Client });
await worker.start(); // a KCL application named after the KDA application
process.on('SIGTERM', () => void worker.shutdown());
export {};
