#!/bin/sh
# OpenPGP verdicts of mailview against keys made here: PGP/MIME (signed by
# a signing subkey, over the CRLF-canonical first part) and inline
# clear-signed mail; verified for key A (keyring as a directory or a single
# file), unknown-key for key B, bad when tampered, unsigned for plain mail.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
MAILVIEW="$top_builddir/tests/mailview"

if ! command -v gpg >/dev/null 2>&1; then
	skip "gpg is not installed"
	tap_done
	exit 0
fi

# gpg-agent's socket lives in the home: keep the path short
T=$(mktemp -d /tmp/vsig.XXXXXX)
G="$T/g"
mkdir -m 700 "$G" "$T/keys"
cleanup() { gpgconf --homedir "$G" --kill all >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
gpgq() { gpg --homedir "$G" --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' "$@"; }

gpgq --quick-gen-key 'Alice Example <alice@example.org>' ed25519 cert never 2>/dev/null
A=$(gpgq --with-colons --list-keys alice@example.org | awk -F: '$1=="fpr"{print $10; exit}')
gpgq --quick-add-key "$A" ed25519 sign never 2>/dev/null
gpgq --quick-gen-key 'Bob Example <bob@example.org>' ed25519 sign never 2>/dev/null
gpgq --armor --export alice@example.org > "$T/keys/alice.asc"
check "test keys created" test -n "$A" -a -s "$T/keys/alice.asc"

HEAD='From: Alice Example <alice@example.org>
To: announce@example.org
Subject: [OSSA-2099-009] Widget: invented flaw (CVE-2099-0009)
Date: Tue, 02 Mar 2099 10:00:00 +0000
Message-ID: <sig-test@example.org>
MIME-Version: 1.0'

# pgp_mime KEY OUT: a multipart/signed message signed by KEY
pgp_mime() {
	printf 'Content-Type: text/plain; charset=us-ascii\n\nThe widget leaks frobs.\nUpgrade to 1.2.3.\n- dashes stay\n' > "$T/part"
	sed 's/$/\r/' "$T/part" | head -c -2 > "$T/part.crlf"
	gpgq -u "$1" --digest-algo SHA256 --armor --detach-sign -o - "$T/part.crlf" > "$T/sig.asc"
	{
		printf '%s\n' "$HEAD"
		printf 'Content-Type: multipart/signed; micalg=pgp-sha256;\n protocol="application/pgp-signature"; boundary="SIGB"\n\n'
		printf -- '--SIGB\n'; head -c -1 "$T/part"; printf '\n--SIGB\n'
		printf 'Content-Type: application/pgp-signature; name="signature.asc"\n\n'
		cat "$T/sig.asc"
		printf -- '--SIGB--\n'
	} > "$2"
}

# inline KEY OUT: a clear-signed text/plain message
inline() {
	printf 'Title: invented flaw\n- leading dash\nAffects: widget <1.2.3\n' |
		gpgq -u "$1" --digest-algo SHA256 --clearsign > "$T/clear"
	{ printf '%s\nContent-Type: text/plain; charset=utf-8\n\n' "$HEAD"; cat "$T/clear"; } > "$2"
}

field() { grep "\"$1\" :" | head -n1; }
status_of() { "$MAILVIEW" --keyring "$1" "$2" | field status; }
is_status() { status_of "$1" "$2" | grep -q "\"$3\""; }

pgp_mime "$A" "$T/mime-a.eml"
pgp_mime bob@example.org "$T/mime-b.eml"
inline "$A" "$T/inline-a.eml"
inline bob@example.org "$T/inline-b.eml"
sed 's/leaks frobs/leaks frogs/' "$T/mime-a.eml" > "$T/mime-tampered.eml"
sed 's/widget <1.2.3/widget <9.9.9/' "$T/inline-a.eml" > "$T/inline-tampered.eml"
{ printf '%s\nContent-Type: text/plain\n\nplain\n' "$HEAD"; } > "$T/plain.eml"

check "PGP/MIME by A: verified (keyring dir)" is_status "$T/keys" "$T/mime-a.eml" verified
check "PGP/MIME by A: verified (keyring file)" is_status "$T/keys/alice.asc" "$T/mime-a.eml" verified
check "PGP/MIME by A: fingerprint is A's primary key" \
	sh -c "'$MAILVIEW' --keyring '$T/keys' '$T/mime-a.eml' | grep -q '\"fingerprint\" : \"$A\"'"
check "PGP/MIME by A: signer is A's user id" \
	sh -c "'$MAILVIEW' --keyring '$T/keys' '$T/mime-a.eml' | grep -q '\"signer\" : \"Alice Example <alice@example.org>\"'"
check "PGP/MIME by A: form pgp-mime" \
	sh -c "'$MAILVIEW' --keyring '$T/keys' '$T/mime-a.eml' | grep -q '\"form\" : \"pgp-mime\"'"
check "PGP/MIME by B: unknown-key" is_status "$T/keys" "$T/mime-b.eml" unknown-key
check "PGP/MIME by A without keyring: unknown-key" \
	sh -c "'$MAILVIEW' '$T/mime-a.eml' | grep -q '\"status\" : \"unknown-key\"'"
check "PGP/MIME tampered: bad" is_status "$T/keys" "$T/mime-tampered.eml" bad
check "inline by A: verified" is_status "$T/keys" "$T/inline-a.eml" verified
check "inline by A: verified (keyring file)" is_status "$T/keys/alice.asc" "$T/inline-a.eml" verified
check "inline by A: armour and dash-escaping removed" \
	sh -c "'$MAILVIEW' --keyring '$T/keys' '$T/inline-a.eml' | grep -q '\"text\" : \"Title: invented flaw\\\\n- leading dash\\\\nAffects: widget <1.2.3\\\\n\"'"
check "inline by B: unknown-key" is_status "$T/keys" "$T/inline-b.eml" unknown-key
check "inline tampered: bad" is_status "$T/keys" "$T/inline-tampered.eml" bad
check "plain: unsigned" is_status "$T/keys" "$T/plain.eml" unsigned
check "a missing keyring is an error" sh -c "! '$MAILVIEW' --keyring '$T/nope' '$T/plain.eml' 2>/dev/null"
check "an empty keyring directory is an error" sh -c "mkdir -p '$T/empty' && ! '$MAILVIEW' --keyring '$T/empty' '$T/plain.eml' 2>/dev/null"
# GNUPGHOME pointing at a home that knows B (the user's own) changes nothing
before=$(cksum < "$G/pubring.kbx")
check "the user's GnuPG home is not consulted" \
	sh -c "GNUPGHOME='$G' '$MAILVIEW' --keyring '$T/keys' '$T/mime-b.eml' | grep -q '\"status\" : \"unknown-key\"'"
check "the user's GnuPG home is not written" test "$before" = "$(cksum < "$G/pubring.kbx")"
tap_done
