/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The programme's read model moved to src/app/ (operations use it too). */
#include "../app/programme_view.h"
