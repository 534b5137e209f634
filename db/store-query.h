/* store-query.h - index-driven queries of the store beyond store.h, kept
 * here so that callers that need speed do not scan every record. */
#ifndef VULND_STORE_QUERY_H
#define VULND_STORE_QUERY_H

#include "store.h"

G_BEGIN_DECLS

/* Called with a by_product key: a product name in lower case. */
typedef gboolean (*VulndStoreKeyMatchFn) (const char *key, gpointer user_data);

/* Current records with an affected product whose index key MATCH accepts,
 * each once, in date order (as vulnd_store_list).  Only those records are
 * read: the product index is walked key by key. */
GPtrArray *vulnd_store_list_products (VulndStore *store, VulndStoreKeyMatchFn match,
                                      gpointer user_data, GError **error);

G_END_DECLS

#endif
