# IMAP source on the sd-event loop
