/**
 * Fixed key material for tests, made once with the openssl CLI (independent of this code base).
 */

// A fixed P-256 key, its self-signed certificate and its PKCS#8 form, made with the openssl CLI.
// FIXED_KID was computed outside this code base:
//   openssl pkey -in ec.pem -pubout -outform DER | openssl dgst -sha256 -binary | base64url (no padding)
export const FIXED_EC_SEC1 = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIBGhy+vqg2q8bnfmUogWVggrr0QzLKc0KXbY3toQQbUKoAoGCCqGSM49
AwEHoUQDQgAEoElY/AxchmIdGqnM2YBTfHyCiB0PtouPA+yOb4oIuw2n3Eos81qW
Y+dPZ0jjnMpD/c0+U66Tl4pYSJZCHdInGA==
-----END EC PRIVATE KEY-----
`;
export const FIXED_EC_PKCS8 = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgEaHL6+qDarxud+ZS
iBZWCCuvRDMspzQpdtje2hBBtQqhRANCAASgSVj8DFyGYh0aqczZgFN8fIKIHQ+2
i48D7I5vigi7DafcSizzWpZj509nSOOcykP9zT5TrpOXilhIlkId0icY
-----END PRIVATE KEY-----
`;
export const FIXED_EC_CERT = `-----BEGIN CERTIFICATE-----
MIIBbzCCARWgAwIBAgIUXQbn0Wo4rTd0MJTh+spQkMrU18QwCgYIKoZIzj0EAwIw
DDEKMAgGA1UEAwwBdDAgFw0yNjEyMDMwNjIzMjRaGA8yMTI2MTEwOTA2MjMyNFow
DDEKMAgGA1UEAwwBdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABKBJWPwMXIZi
HRqpzNmAU3x8gogdD7aLjwPsjm+KCLsNp9xKLPNalmPnT2dI45zKQ/3NPlOuk5eK
WEiWQh3SJxijUzBRMB0GA1UdDgQWBBQONCPo+zUF7KAmofmlCi57pWC8mjAfBgNV
HSMEGDAWgBQONCPo+zUF7KAmofmlCi57pWC8mjAPBgNVHRMBAf8EBTADAQH/MAoG
CCqGSM49BAMCA0gAMEUCIACjVtnPkFbIr1aeF+zavQqY+9DC5X7rgKmM4BFgP9Nc
AiEA0lVBUkvEusu6xaqsN66+nuZLhYK/qOwQISey0G5ybHI=
-----END CERTIFICATE-----
`;
export const FIXED_KID = '-hSkzzDJn6YeCjcAeUoZFJhf1_2HSaE6ORO0_Fi2PFs';
