# IMAP source (libetpan, GnuTLS certificate checks)
