# file sources: maildir and mbox readers (+ their header)
