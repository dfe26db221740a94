# SPDX-License-Identifier: AGPL-3.0-or-later
"""check_jwt.py JWT JWK_FILE: verifies an Open Badges 3.0 VC-JWT made by
Aula (credential_jwt) with an independent JOSE implementation
(python3-jwcrypto) against the issuer's public key as a JWK file
(public_jwk), then checks the claims agree with the credential they carry.

JWT is the compact token itself, or the path of a file holding it.
Prints the payload as JSON and exits 0 when everything holds; prints what
failed and exits 1 otherwise (2 on bad usage).  Meant to be called from a
test, e.g. subprocess.run(['/usr/bin/python3', 'tests/py/check_jwt.py',
token, jwk_path]).
"""
import datetime
import json
import os
import sys

from jwcrypto import jwk, jws, jwt

VC2_CONTEXT = 'https://www.w3.org/ns/credentials/v2'
OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'


def b64url_json(part):
    import base64
    return json.loads(base64.urlsafe_b64decode(part + '=' * (-len(part) % 4)))


def check(token, key):
    """Returns the verified payload or raises AssertionError / a jwcrypto error."""
    parts = token.split('.')
    assert len(parts) == 3 and all(parts), 'a compact JWS has three non-empty parts'
    header = b64url_json(parts[0])
    assert header.get('alg') == 'EdDSA', 'alg must be EdDSA: %r' % header.get('alg')
    assert header.get('typ') == 'JWT', 'typ must be JWT: %r' % header.get('typ')
    kid = header.get('kid', '')
    assert kid.endswith('#' + key.get('kid', '')), 'header kid %r does not name key %r' % (kid, key.get('kid'))

    # The signature, by jwcrypto alone: JWS over the exact header.payload.
    sig = jws.JWS()
    sig.deserialize(token)
    sig.verify(key, alg='EdDSA')
    # ...and as a JWT, with its time claims (nbf in the past).
    t = jwt.JWT(jwt=token, key=key, algs=['EdDSA'], check_claims={'nbf': None})
    payload = json.loads(t.claims)

    vc = payload.get('vc')
    assert isinstance(vc, dict), 'payload has no vc object'
    assert vc.get('@context') == [VC2_CONTEXT, OB3_CONTEXT], vc.get('@context')
    assert vc.get('type') == ['VerifiableCredential', 'OpenBadgeCredential'], vc.get('type')
    issuer = vc.get('issuer') or {}
    assert issuer.get('type') == ['Profile'] and issuer.get('name'), issuer
    assert payload.get('iss') == issuer.get('id'), 'iss %r != issuer.id %r' % (payload.get('iss'), issuer.get('id'))
    assert kid.startswith(payload['iss'] + '#'), 'kid %r is not under the issuer %r' % (kid, payload['iss'])
    assert payload.get('jti') == vc.get('id'), 'jti %r != id %r' % (payload.get('jti'), vc.get('id'))
    subject = vc.get('credentialSubject') or {}
    assert payload.get('sub') == subject.get('id'), 'sub %r != credentialSubject.id %r' % (payload.get('sub'), subject.get('id'))
    assert subject.get('type') == ['AchievementSubject'], subject.get('type')
    ach = subject.get('achievement') or {}
    assert ach.get('type') == ['Achievement'], ach.get('type')
    for field in ('id', 'name', 'description'):
        assert ach.get(field), 'achievement has no %s' % field
    assert (ach.get('criteria') or {}).get('narrative'), 'achievement has no criteria.narrative'
    assert vc.get('name'), 'credential has no name'
    valid_from = datetime.datetime.strptime(vc.get('validFrom', ''), '%Y-%m-%dT%H:%M:%SZ')
    nbf = payload.get('nbf')
    assert isinstance(nbf, int), 'nbf must be a NumericDate: %r' % nbf
    assert valid_from.replace(tzinfo=datetime.timezone.utc).timestamp() == nbf, \
        'nbf %r != validFrom %r' % (nbf, vc.get('validFrom'))
    return payload


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().split('\n')[0], file=sys.stderr)
        return 2
    token = argv[1]
    if os.path.isfile(token):
        with open(token, encoding='ascii') as f:
            token = f.read().strip()
    with open(argv[2], encoding='utf-8') as f:
        key = jwk.JWK.from_json(f.read())
    if key.get('kty') != 'OKP' or key.get('crv') != 'Ed25519' or key.has_private:
        print('check_jwt: the key must be a public Ed25519 JWK', file=sys.stderr)
        return 1
    try:
        payload = check(token, key)
    except Exception as e:  # noqa: BLE001 - any failure is a verdict
        print('check_jwt: FAILED: %s: %s' % (type(e).__name__, e), file=sys.stderr)
        return 1
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
