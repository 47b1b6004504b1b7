/*
 * refresh.c - bring a release's service items into a catalog that is already
 * loaded (`ywtb seed --catalog` over an existing database, issue 21: an upgrade's
 * English labels never reached an upgraded database).
 *
 * Items are versioned and edited by their departments through the catalog API,
 * so a release must not overwrite what a department changed.  What the release
 * brings is therefore limited to:
 *   - items the database does not have: added as version 1 by "seed";
 *   - the labels of an item that is there: the item's and its materials'
 *     English names (name_en), and for each form field that still has the same
 *     key, type and options in the database, its labels (label, label_en) and
 *     the English texts of its options (options_en).
 * Nothing else of an existing item is touched (time limits, fees, materials,
 * fields a department added or removed).  An item whose labels differ gets a
 * new version through the same path as an edit (yw_cat__item_edit: validated,
 * audited as "item.edit" by "seed"); an item whose labels are the same is left
 * alone, so running the refresh twice changes nothing the second time.
 */
#include "catalog/internal.h"

#include <string.h>

/* json_equal, with two absent values equal (jansson's says false for NULL). */
static bool
same(json_t *a, json_t *b)
{
    return (a == NULL && b == NULL) || json_equal(a, b);
}

/* Copy key from src to dst when src has it as a string (or array, for
 * options_en) and dst's differs; true when dst changed. */
static bool
take(json_t *dst, json_t *src, const char *key)
{
    json_t *v = json_object_get(src, key);
    if (v == NULL || !(json_is_string(v) || json_is_array(v)))
        return false;
    if (same(json_object_get(dst, key), v))
        return false;
    json_object_set(dst, key, v);
    return true;
}

/* The element of array `list` whose `key` equals want's, or NULL. */
static json_t *
find_by(json_t *list, const char *key, json_t *want)
{
    const char *w = json_string_value(json_object_get(want, key));
    size_t i;
    json_t *v;
    if (w == NULL)
        return NULL;
    json_array_foreach(list, i, v)
    {
        const char *s = json_string_value(json_object_get(v, key));
        if (s && strcmp(s, w) == 0)
            return v;
    }
    return NULL;
}

/* Apply the release's labels (see the top) to doc, the current version's
 * document; true when anything changed. */
static bool
merge_labels(json_t *doc, json_t *rel)
{
    bool changed = take(doc, rel, "name_en");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(rel, "materials"), i, m)
    {
        json_t *mine = find_by(json_object_get(doc, "materials"), "code", m);
        if (mine)
            changed |= take(mine, m, "name_en");
    }
    json_t *f;
    json_array_foreach(json_object_get(rel, "form"), i, f)
    {
        json_t *mine = find_by(json_object_get(doc, "form"), "key", f);
        /* a field the department changed in kind is the department's now */
        if (mine == NULL || !same(json_object_get(mine, "type"), json_object_get(f, "type")) ||
            !same(json_object_get(mine, "options"), json_object_get(f, "options")))
            continue;
        changed |= take(mine, f, "label");
        changed |= take(mine, f, "label_en");
        changed |= take(mine, f, "options_en");
    }
    return changed;
}

int
yw_cat__refresh_items(struct yw_dbc *c, json_t *items, int *added, int *updated, struct yw_err *err)
{
    *added = *updated = 0;
    size_t i;
    json_t *rel;
    json_array_foreach(items, i, rel)
    {
        const char *code = json_string_value(json_object_get(rel, "code"));
        if (code == NULL)
            return yw_fail(err, YW_EFIELD, "items", "items.json entry %zu has no code", i);
        json_t *doc = NULL;
        int rc = yw_catalog_item_current(c, code, NULL, NULL, &doc);
        if (rc == YW_ENOTFOUND) {
            if ((rc = yw_catalog_item_validate(c, rel, err)) ||
                (rc = yw_cat__insert_item(c, rel, 1, "seed", NULL)))
                return rc;
            (*added)++;
            continue;
        }
        if (rc)
            return rc;
        if (doc == NULL)
            return yw_fail(err, YW_EDB, "items", "item '%s': its stored document is not JSON",
                           code);
        if (merge_labels(doc, rel)) {
            rc = yw_cat__item_edit(c, code, doc, "seed", NULL, NULL, err);
            if (rc == 0)
                (*updated)++;
        }
        json_decref(doc);
        if (rc)
            return rc;
    }
    return 0;
}
