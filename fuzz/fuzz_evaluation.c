/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: evaluation answers and questionnaires.  The input is a
 * JSON value used three ways: as a response to the ready questionnaire (and
 * to a questionnaire of every type), which evaluation_check must judge
 * without crashing, and whose statistics must come out whatever it holds
 * (stored answers are checked, but the statistics must not trust that);
 * and as a questionnaire for evaluation_validate_definition. */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/evaluation.h"
#include "fuzz_check.h"

static const char *every_type =
    "{\"sections\":[{\"title\":{\"es\":\"S\",\"en\":\"S\"},\"questions\":["
    "{\"key\":\"a\",\"type\":\"agree\",\"required\":true,\"text\":{\"es\":\"A\",\"en\":\"A\"}},"
    "{\"key\":\"g\",\"type\":\"grid\",\"text\":{\"es\":\"G\",\"en\":\"G\"},\"statements\":[{\"es\":\"1\",\"en\":\"1\"},{\"es\":\"2\",\"en\":\"2\"}]},"
    "{\"key\":\"s\",\"type\":\"single\",\"text\":{\"es\":\"S\",\"en\":\"S\"},\"options\":[{\"es\":\"x\",\"en\":\"x\"},{\"es\":\"y\",\"en\":\"y\"}]},"
    "{\"key\":\"m\",\"type\":\"multi\",\"min\":1,\"max\":2,\"text\":{\"es\":\"M\",\"en\":\"M\"},\"options\":[{\"es\":\"x\",\"en\":\"x\"},{\"es\":\"y\",\"en\":\"y\"},{\"es\":\"z\",\"en\":\"z\"}]},"
    "{\"key\":\"n\",\"type\":\"nps\",\"text\":{\"es\":\"N\",\"en\":\"N\"}},"
    "{\"key\":\"u\",\"type\":\"number\",\"min\":0,\"max\":9,\"text\":{\"es\":\"U\",\"en\":\"U\"}},"
    "{\"key\":\"y\",\"type\":\"yesno\",\"text\":{\"es\":\"Y\",\"en\":\"Y\"}},"
    "{\"key\":\"t\",\"type\":\"short\",\"text\":{\"es\":\"T\",\"en\":\"T\"}},"
    "{\"key\":\"l\",\"type\":\"long\",\"text\":{\"es\":\"L\",\"en\":\"L\"}},"
    "{\"key\":\"b\",\"type\":\"before_after\",\"text\":{\"es\":\"B\",\"en\":\"B\"}},"
    "{\"key\":\"r\",\"type\":\"trainer\",\"text\":{\"es\":\"R\",\"en\":\"R\"}}]}]}";

static void judge(json_t *def, json_t *trainers, json_t *response)
{
    struct eval_error errs[16];
    for (int final = 0; final < 2; final++) {
        size_t n = evaluation_check(def, trainers, response, final, errs, 16);
        for (size_t i = 0; i < n && i < 16; i++)
            FUZZ_CHECK(errs[i].key && errs[i].msgid && strncmp(errs[i].msgid, "eval.err.", 9) == 0);
        /* A final answer that passes also passes as a draft. */
        if (final && n == 0)
            FUZZ_CHECK(evaluation_check(def, trainers, response, false, errs, 16) == 0);
    }
    json_t *arr = json_pack("[O, O]", response, response);
    json_t *st = evaluation_stats(def, trainers, arr);
    FUZZ_CHECK(json_integer_value(json_object_get(st, "respondents")) == 2);
    json_t *low = evaluation_low_means(st, 3.0, 1);
    json_t *texts = evaluation_texts(arr, "l");
    json_decref(texts);
    json_decref(low);
    json_decref(st);
    json_decref(arr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!v)
        return 0;
    json_t *trainers = json_pack("[s, s]", "ana", "ben");
    json_t *ready = evaluation_default_definition();
    json_t *all = json_loads(every_type, 0, NULL);
    FUZZ_CHECK(all != NULL);
    judge(ready, trainers, v);
    judge(all, trainers, v);
    char path[128], msg[128];
    if (!evaluation_validate_definition(v, path, sizeof path, msg, sizeof msg))
        FUZZ_CHECK(path[0] == '$' && msg[0]);
    if (!evaluation_validate_settings(v, path, sizeof path, msg, sizeof msg))
        FUZZ_CHECK(path[0] == '$' && msg[0]);
    evaluation_keeps_questions(all, v);
    json_decref(all);
    json_decref(ready);
    json_decref(trainers);
    json_decref(v);
    return 0;
}
