/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Route matching: literals, parameters, methods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "http/router.h"

static void h_home(request *req, response *res) { (void)req; (void)res; }
static void h_event(request *req, response *res) { (void)req; (void)res; }
static void h_agenda(request *req, response *res) { (void)req; (void)res; }
static void h_course(request *req, response *res) { (void)req; (void)res; }
static void h_course_ics(request *req, response *res) { (void)req; (void)res; }
static void h_login_form(request *req, response *res) { (void)req; (void)res; }
static void h_login(request *req, response *res) { (void)req; (void)res; }
static void h_logout(request *req, response *res) { (void)req; (void)res; }
static void h_edit(request *req, response *res) { (void)req; (void)res; }
static void h_six(request *req, response *res) { (void)req; (void)res; }

static const struct route table[] = {
    {HTTP_GET, "/", h_home, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/events/{slug}", h_event, ACCESS_PUBLIC, NULL, R_CACHE},
    {HTTP_GET, "/events/{slug}/agenda", h_agenda, ACCESS_PUBLIC, NULL, R_CACHE},
    {HTTP_GET, "/events/{slug}/courses/{course}", h_course, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/events/{slug}/courses/{course}/calendar.ics", h_course_ics, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/login", h_login_form, ACCESS_PUBLIC, NULL, 0},
    {HTTP_POST, "/login", h_login, ACCESS_PUBLIC, NULL, 0},
    {HTTP_POST, "/logout", h_logout, ACCESS_PUBLIC, NULL, 0},
    {HTTP_POST, "/admin/{kind}/{id}/edit", h_edit, ACCESS_ADMIN, NULL, 0},
    {HTTP_GET, "/six/{a}/{b}/{c}/{d}/{e}/{f}", h_six, ACCESS_PUBLIC, NULL, 0},
};
enum { N = sizeof table / sizeof table[0] };

static request req;

static int setup(void **state)
{
    (void)state;
    memset(&req, 0, sizeof req);
    req.a = arena_new(1 << 20);
    return req.a ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(req.a);
    return 0;
}

static enum route_match m(http_method method, const char *path, const struct route **out)
{
    *out = NULL;
    return router_match(table, N, method, path, &req, out);
}

static void test_literal(void **state)
{
    (void)state;
    const struct route *r;
    assert_int_equal(m(HTTP_GET, "/", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(req.nparams, 0);
    assert_int_equal(m(HTTP_GET, "/login", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_login_form);
    assert_int_equal(m(HTTP_POST, "/login", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_login);
    assert_int_equal(m(HTTP_POST, "/logout", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_logout);
}

static void test_parameters(void **state)
{
    (void)state;
    const struct route *r;
    assert_int_equal(m(HTTP_GET, "/events/sela-2022", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_event);
    assert_int_equal(r->flags, R_CACHE);
    assert_int_equal(req.nparams, 1);
    assert_string_equal(req.param_names[0], "slug");
    assert_string_equal(req.params[0], "sela-2022");

    assert_int_equal(m(HTTP_GET, "/events/sela-2022/agenda", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_agenda);

    assert_int_equal(m(HTTP_GET, "/events/sela-2022/courses/cyberdiplomacy", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_course);
    assert_int_equal(req.nparams, 2);
    assert_string_equal(req.param_names[0], "slug");
    assert_string_equal(req.params[0], "sela-2022");
    assert_string_equal(req.param_names[1], "course");
    assert_string_equal(req.params[1], "cyberdiplomacy");

    assert_int_equal(m(HTTP_GET, "/events/x/courses/y/calendar.ics", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_course_ics);
    assert_string_equal(req.params[0], "x");
    assert_string_equal(req.params[1], "y");

    assert_int_equal(m(HTTP_POST, "/admin/course/42/edit", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_edit);
    assert_int_equal(req.nparams, 2);
    assert_string_equal(req.param_names[0], "kind");
    assert_string_equal(req.params[0], "course");
    assert_string_equal(req.param_names[1], "id");
    assert_string_equal(req.params[1], "42");

    /* Parameters are taken as they are: no decoding, any bytes but '/'. */
    assert_int_equal(m(HTTP_GET, "/events/a%20b.c~ñ", &r), MATCH_FOUND);
    assert_string_equal(req.params[0], "a%20b.c~ñ");

    assert_int_equal(m(HTTP_GET, "/six/1/2/3/4/5/6", &r), MATCH_FOUND);
    assert_int_equal(req.nparams, 6);
    assert_string_equal(req.params[5], "6");
    assert_string_equal(req.param_names[5], "f");
}

static void test_params_copied_into_arena(void **state)
{
    (void)state;
    const struct route *r;
    char path[] = "/events/sela-2022";
    assert_int_equal(m(HTTP_GET, path, &r), MATCH_FOUND);
    path[8] = 'X';
    assert_string_equal(req.params[0], "sela-2022");
}

static void test_wrong_method(void **state)
{
    (void)state;
    const struct route *r;
    assert_int_equal(m(HTTP_POST, "/events/sela-2022", &r), MATCH_WRONG_METHOD);
    assert_null(r);
    assert_int_equal(m(HTTP_GET, "/logout", &r), MATCH_WRONG_METHOD);
    assert_int_equal(m(HTTP_HEAD, "/logout", &r), MATCH_WRONG_METHOD);
    assert_int_equal(m(HTTP_DELETE, "/login", &r), MATCH_WRONG_METHOD);
    assert_int_equal(m(HTTP_PUT, "/", &r), MATCH_WRONG_METHOD);
    assert_int_equal(m(HTTP_GET, "/admin/course/42/edit", &r), MATCH_WRONG_METHOD);
    assert_null(r);
}

static void test_head_matches_get(void **state)
{
    (void)state;
    const struct route *r;
    assert_int_equal(m(HTTP_HEAD, "/", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_home);
    assert_int_equal(m(HTTP_HEAD, "/events/s/courses/c", &r), MATCH_FOUND);
    assert_ptr_equal(r->handler, h_course);
    assert_string_equal(req.params[1], "c");
}

static void test_no_match(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "",
        "/events",                        /* missing segment */
        "/events/",                       /* empty segment is not a parameter */
        "/events//agenda",
        "/events/sela-2022/",             /* trailing slash */
        "/events/sela-2022/agenda/extra", /* extra segment */
        "/events/s/courses",
        "/events/s/courses/",
        "/events/s/courses/c/calendar.ics/x",
        "/events/s/courses/c/calendar.icsx",
        "/loginx",
        "/logi",
        "//",
        "/LOGIN",
        "login",
        "/six/1/2/3/4/5",
        "/six/1/2/3/4/5/6/7",
        "/admin//1/edit",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const struct route *r;
        req.nparams = 0;
        enum route_match got = m(HTTP_GET, paths[i], &r);
        if (got != MATCH_NONE)
            fail_msg("path \"%s\" matched (%d)", paths[i], (int)got);
        assert_null(r);
        assert_int_equal(req.nparams, 0);
    }
    const struct route *r;
    assert_int_equal(m(HTTP_POST, "/admin/course//edit", &r), MATCH_NONE);
    assert_int_equal(m(HTTP_POST, "/admin/course/1/edit/", &r), MATCH_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parameters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params_copied_into_arena, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_matches_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_match, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
