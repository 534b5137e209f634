/* store-query.h - index-driven queries of the store beyond store.h, kept
 * here so that callers that need speed do not scan every record. */
#ifndef VULND_STORE_QUERY_H
#define VULND_STORE_QUERY_H

#include "store.h"
#include "version.h"

G_BEGIN_DECLS

/* Called with a by_product key: a product name in lower case. */
typedef gboolean (*VulndStoreKeyMatchFn) (const char *key, gpointer user_data);

/* Current records with an affected product whose index key MATCH accepts,
 * each once, in date order (as vulnd_store_list).  Only those records are
 * read: the product index is walked key by key. */
GPtrArray *vulnd_store_list_products (VulndStore *store, VulndStoreKeyMatchFn match,
                                      gpointer user_data, GError **error);

/* ---- summaries ----------------------------------------------------------
 * What tables and version matching need of a current record, kept by the
 * writer beside it (docs/store.md): reading one parses no JSON.  Strings
 * are borrowed from the summary and empty (never NULL) where the record
 * has none. */
typedef struct _VulndSummary VulndSummary;

VulndSummary *vulnd_summary_new_from_record (JsonObject *record);
void vulnd_summary_free (VulndSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VulndSummary, vulnd_summary_free)

const char *vulnd_summary_id (const VulndSummary *summary);
const char *vulnd_summary_kind (const VulndSummary *summary);
const char *vulnd_summary_date (const VulndSummary *summary);
const char *vulnd_summary_title (const VulndSummary *summary);
/* source.signature.status */
const char *vulnd_summary_signature (const VulndSummary *summary);
/* As vulnd_record_cves (free with g_strfreev). */
char **vulnd_summary_cves (const VulndSummary *summary);
gboolean vulnd_summary_has_cve (const VulndSummary *summary, const char *cve);
/* PRODUCT in any case, as vulnd_record_products compares it. */
gboolean vulnd_summary_has_product (const VulndSummary *summary, const char *product);
/* The objects of affected-products with a string "product", in order:
 * name and version text as published, and the ranges as the matcher reads
 * them (*n_out of them, strings borrowed from the summary; free the array
 * with g_free): what vulnd_ranges_from_json () gives of the record's. */
guint vulnd_summary_n_products (const VulndSummary *summary);
const char *vulnd_summary_product (const VulndSummary *summary, guint i,
                                   const char **version);
VulndRange *vulnd_summary_ranges (const VulndSummary *summary, guint i, guint *n_out);

/* Summaries of the current records FILTER accepts (NULL: all), in date
 * order: the same advisories as vulnd_store_list.  Read from the summaries
 * when they are current, else (a database no writer has opened since
 * summaries were added, or a text filter) built from the full records. */
GPtrArray *vulnd_store_list_summaries (VulndStore *store, const VulndStoreFilter *filter,
                                       GError **error);
/* As vulnd_store_list_products, as summaries. */
GPtrArray *vulnd_store_product_summaries (VulndStore *store, VulndStoreKeyMatchFn match,
                                          gpointer user_data, GError **error);
/* NULL (error NOT_FOUND) when there is no advisory ID. */
VulndSummary *vulnd_store_get_summary (VulndStore *store, const char *id, GError **error);
/* Whether readers find current summaries (FALSE: they use full records). */
gboolean vulnd_store_has_summaries (VulndStore *store);

G_END_DECLS

#endif
