import { expect } from 'chai';
import { parseText, summary } from './helpers.js';

const base = `[node]
tub.port = tcp:39835:interface=127.0.0.1
tub.location = tor:rcmqzftshazkmhdyd3yrknmtwkd3tlc27pa6greegv4azymunlbb2iid.onion:3457
[tor]
launch = true
onion = true
onion.local_port = 39835
onion.external_port = 3457
onion.private_key_file = private/tor_onion.privkey
`;

describe('config: [tor] onion client authorization keys', () => {
  it('leaves client authorization off by default', () => {
    const result = parseText(base);
    expect(summary(result)).to.deep.equal([]);
    expect(result.settings?.tor.onion).to.not.have.property('authorizedClientsDir');
    expect(result.settings?.tor.clientAuthDir).to.equal(undefined);
  });

  it('onion.client_auth = true uses private/tor_authorized_clients unless a directory is given', () => {
    const on = parseText(`${base}onion.client_auth = true\n`);
    expect(on.settings?.tor.onion?.authorizedClientsDir).to.equal(
      '/nodes/test/private/tor_authorized_clients',
    );
    const custom = parseText(
      `${base}onion.client_auth = true\nonion.authorized_clients_dir = /etc/lafs/clients\n`,
    );
    expect(custom.settings?.tor.onion?.authorizedClientsDir).to.equal('/etc/lafs/clients');
    const off = parseText(`${base}onion.client_auth = false\nonion.authorized_clients_dir = /etc/x\n`);
    expect(off.settings?.tor.onion).to.not.have.property('authorizedClientsDir');
  });

  it('client_auth_dir is resolved against the node directory', () => {
    const result = parseText('[tor]\nclient_auth_dir = private/tor_client_auth\n');
    expect(summary(result)).to.deep.equal([]);
    expect(result.settings?.tor.clientAuthDir).to.equal('/nodes/test/private/tor_client_auth');
  });

  it('a malformed onion.client_auth is reported with its key', () => {
    const result = parseText(`${base}onion.client_auth = maybe\n`);
    expect(summary(result).join('\n')).to.match(/\[tor\] onion\.client_auth/);
  });
});
