import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PATIENT_ENCRYPTION_KEY_ID, PatientFieldKeys } from './index';

describe('PatientFieldKeys', () => {
  const stack = new Stack(new App(), 'Keys');
  new PatientFieldKeys(stack, 'PatientFieldKeys', { retainData: true });
  const template = Template.fromStack(stack);

  it('generates the field-encryption key set as {"k1": <43 base64 characters>}, KMS-encrypted and kept', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: Match.objectLike({
        GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: PATIENT_ENCRYPTION_KEY_ID, PasswordLength: 43, ExcludePunctuation: true },
        KmsKeyId: Match.anyValue(),
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('generates a separate blind-index key under the same customer-managed key', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('PATIENT_BLIND_INDEX_KEY'),
      GenerateSecretString: { PasswordLength: 43, ExcludePunctuation: true },
      KmsKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});
