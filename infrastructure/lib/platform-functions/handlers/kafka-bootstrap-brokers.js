// Custom::KafkaBootstrapBrokers: CloudFormation exposes no bootstrap-broker string for MSK, so
// this reads it (SASL/SCRAM over TLS) for the services' KAFKA_BROKERS. Property: ClusterArn.
'use strict';
const { KafkaClient, GetBootstrapBrokersCommand } = require('@aws-sdk/client-kafka');
const { customResource } = require('./cfn-response');

const kafka = new KafkaClient({});

exports.handler = customResource(async (event) => {
  const clusterArn = event.ResourceProperties.ClusterArn;
  if (event.RequestType === 'Delete') return { physicalResourceId: event.PhysicalResourceId };
  const brokers = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: clusterArn }));
  const saslScram = brokers.BootstrapBrokerStringSaslScram;
  if (!saslScram) throw new Error('the cluster has no SASL/SCRAM bootstrap brokers (is SCRAM enabled?)');
  return { physicalResourceId: `bootstrap@${clusterArn}`, data: { SaslScram: saslScram } };
});
