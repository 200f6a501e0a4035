from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_link = l_0_missing = l_0_value = l_0_record = l_0_field = l_0_fields = l_0_fieldlist = l_0_section = l_0_cell = l_0_table = l_0_figure = l_0_analyses = l_0_evaluation = l_0_summary = l_0_appendix = l_0_composition = missing
    try:
        t_1 = environment.filters['anchor']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'anchor' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_5 = environment.filters['nowrap_hyphens']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'nowrap_hyphens' found.")
    try:
        t_6 = environment.filters['prose']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'prose' found.")
    try:
        t_7 = environment.filters['rejectattr']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'rejectattr' found.")
    try:
        t_8 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    try:
        t_9 = environment.filters['svg']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'svg' found.")
    try:
        t_10 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    try:
        t_11 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_url, l_1_text):
        t_12 = []
        if l_1_url is missing:
            l_1_url = undefined("parameter 'url' was not provided", name='url')
        if l_1_text is missing:
            l_1_text = undefined("parameter 'text' was not provided", name='text')
        pass
        if (('@' in l_1_url) and (not context.call(environment.getattr(l_1_url, 'startswith'), ('http://', 'https://', 'mailto:')))):
            pass
            t_12.extend((
                '<a href="mailto:',
                escape(l_1_url),
                '">',
                escape(l_1_text),
                '</a>',
            ))
        else:
            pass
            t_12.extend((
                '<a href="',
                escape(l_1_url),
                '">',
                escape(l_1_text),
                '</a>',
            ))
        return concat(t_12)
    context.exported_vars.add('link')
    context.vars['link'] = l_0_link = Macro(environment, macro, 'link', ('url', 'text'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_f):
        t_13 = []
        if l_1_f is missing:
            l_1_f = undefined("parameter 'f' was not provided", name='f')
        pass
        t_13.extend((
            '<p class="missing"><strong>',
            escape(environment.getattr(l_1_f, 'value')),
            '</strong> <span class="guidance">To answer: ',
            escape(environment.getattr(l_1_f, 'guidance')),
            '</span></p>',
        ))
        return concat(t_13)
    context.exported_vars.add('missing')
    context.vars['missing'] = l_0_missing = Macro(environment, macro, 'missing', ('f',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_f, l_1_level):
        t_14 = []
        if l_1_f is missing:
            l_1_f = undefined("parameter 'f' was not provided", name='f')
        if l_1_level is missing:
            l_1_level = undefined("parameter 'level' was not provided", name='level')
        pass
        if (environment.getattr(l_1_f, 'kind') == 'prose'):
            pass
            t_14.extend((
                '<div class="prose">',
                escape(t_6(environment.getattr(l_1_f, 'value'), l_1_level)),
                '</div>\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'missing'):
            pass
            t_14.extend((
                escape(context.call((undefined(name='missing') if l_0_missing is missing else l_0_missing), l_1_f)),
                '\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'text'):
            pass
            t_14.extend((
                '<p>',
                escape(environment.getattr(l_1_f, 'value')),
                '</p>\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'link'):
            pass
            t_14.extend((
                '<p>',
                escape(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_1_f, 'value'), environment.getitem(environment.getitem(l_1_f, 'items'), 0))),
                '</p>\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'items'):
            pass
            t_14.append(
                '<ul class="items">\n',
            )
            for l_2_item in environment.getitem(l_1_f, 'items'):
                _loop_vars = {}
                pass
                t_14.extend((
                    '<li>',
                    escape(l_2_item),
                    '</li>\n',
                ))
            l_2_item = missing
            t_14.append(
                '</ul>\n',
            )
        elif (environment.getattr(l_1_f, 'kind') == 'mapping'):
            pass
            t_14.append(
                '<dl class="facts">\n',
            )
            for (l_2_k, l_2_v) in environment.getattr(l_1_f, 'rows'):
                _loop_vars = {}
                pass
                t_14.extend((
                    '<dt>',
                    escape(l_2_k),
                    '</dt><dd>',
                    escape(l_2_v),
                    '</dd>\n',
                ))
            l_2_k = l_2_v = missing
            t_14.append(
                '</dl>\n',
            )
        elif (environment.getattr(l_1_f, 'kind') == 'table'):
            pass
            t_14.append(
                '<div class="table-wrap">\n<table class="fields">\n<thead><tr>',
            )
            for l_2_c in environment.getattr(l_1_f, 'columns'):
                _loop_vars = {}
                pass
                t_14.extend((
                    '<th scope="col">',
                    escape(l_2_c),
                    '</th>',
                ))
            l_2_c = missing
            t_14.append(
                '</tr></thead>\n<tbody>\n',
            )
            for l_2_row in environment.getattr(l_1_f, 'rows'):
                _loop_vars = {}
                pass
                t_14.append(
                    '<tr>',
                )
                for l_3_cell in l_2_row:
                    _loop_vars = {}
                    pass
                    t_14.append(
                        '<td>',
                    )
                    if context.call(environment.getattr(l_3_cell, 'startswith'), ('http://', 'https://'), _loop_vars=_loop_vars):
                        pass
                        t_14.append(
                            escape(context.call((undefined(name='link') if l_0_link is missing else l_0_link), l_3_cell, l_3_cell, _loop_vars=_loop_vars)),
                        )
                    else:
                        pass
                        t_14.append(
                            escape(l_3_cell),
                        )
                    t_14.append(
                        '</td>',
                    )
                l_3_cell = missing
                t_14.append(
                    '</tr>\n',
                )
            l_2_row = missing
            t_14.append(
                '</tbody>\n</table>\n</div>\n',
            )
        elif (environment.getattr(l_1_f, 'kind') == 'record'):
            pass
            t_14.extend((
                escape(context.call((undefined(name='record') if l_0_record is missing else l_0_record), environment.getattr(l_1_f, 'fields'), (l_1_level + 1))),
                '\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'records'):
            pass
            for l_2_r in environment.getattr(l_1_f, 'fields'):
                _loop_vars = {}
                pass
                if environment.getattr(l_2_r, 'compact'):
                    pass
                    t_14.extend((
                        '<div class="record compact">\n<p class="record-title"><strong>',
                        escape(environment.getattr(l_2_r, 'title')),
                        '</strong>',
                    ))
                    for l_3_s in environment.getattr(l_2_r, 'short'):
                        _loop_vars = {}
                        pass
                        t_14.extend((
                            '<span class="record-fact"><span class="label">',
                            escape(environment.getattr(l_3_s, 'title')),
                            ':</span> ',
                        ))
                        if (environment.getattr(l_3_s, 'kind') == 'link'):
                            pass
                            t_14.append(
                                escape(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_3_s, 'value'), environment.getitem(environment.getitem(l_3_s, 'items'), 0), _loop_vars=_loop_vars)),
                            )
                        elif (environment.getattr(l_3_s, 'kind') == 'items'):
                            pass
                            t_14.append(
                                escape(t_2(context.eval_ctx, environment.getitem(l_3_s, 'items'), ', ')),
                            )
                        else:
                            pass
                            t_14.append(
                                escape(environment.getattr(l_3_s, 'value')),
                            )
                        t_14.append(
                            '</span>',
                        )
                    l_3_s = missing
                    t_14.append(
                        '</p>\n',
                    )
                    def t_15(fiter):
                        for l_3_p in fiter:
                            if (environment.getattr(l_3_p, 'kind') in ('prose', 'missing')):
                                yield l_3_p
                    for l_3_p in t_15(environment.getattr(l_2_r, 'fields')):
                        _loop_vars = {}
                        pass
                        t_14.append(
                            escape(context.call((undefined(name='value') if l_0_value is missing else l_0_value), l_3_p, (l_1_level + 1), _loop_vars=_loop_vars)),
                        )
                    l_3_p = missing
                    t_14.append(
                        '</div>\n',
                    )
                else:
                    pass
                    t_14.extend((
                        '<div class="record">\n<p class="record-title"><strong>',
                        escape(environment.getattr(l_2_r, 'title')),
                        '</strong></p>\n',
                        escape(context.call((undefined(name='record') if l_0_record is missing else l_0_record), environment.getattr(l_2_r, 'fields'), (l_1_level + 1), _loop_vars=_loop_vars)),
                        '\n</div>\n',
                    ))
            l_2_r = missing
        return concat(t_14)
    context.exported_vars.add('value')
    context.vars['value'] = l_0_value = Macro(environment, macro, 'value', ('f', 'level'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_fields, l_1_level):
        t_16 = []
        if l_1_fields is missing:
            l_1_fields = undefined("parameter 'fields' was not provided", name='fields')
        if l_1_level is missing:
            l_1_level = undefined("parameter 'level' was not provided", name='level')
        pass
        t_16.append(
            '<dl class="record-fields">\n',
        )
        for l_2_f in l_1_fields:
            _loop_vars = {}
            pass
            t_16.extend((
                '<dt>',
                escape(environment.getattr(l_2_f, 'title')),
                '</dt>\n<dd>',
            ))
            if (environment.getattr(l_2_f, 'kind') == 'text'):
                pass
                t_16.append(
                    escape(environment.getattr(l_2_f, 'value')),
                )
            elif (environment.getattr(l_2_f, 'kind') == 'items'):
                pass
                t_16.append(
                    escape(t_2(context.eval_ctx, environment.getitem(l_2_f, 'items'), ', ')),
                )
            elif (environment.getattr(l_2_f, 'kind') == 'link'):
                pass
                t_16.append(
                    escape(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_2_f, 'value'), environment.getitem(environment.getitem(l_2_f, 'items'), 0), _loop_vars=_loop_vars)),
                )
            else:
                pass
                t_16.append(
                    escape(context.call((undefined(name='value') if l_0_value is missing else l_0_value), l_2_f, l_1_level, _loop_vars=_loop_vars)),
                )
            t_16.append(
                '</dd>\n',
            )
        l_2_f = missing
        t_16.append(
            '</dl>',
        )
        return concat(t_16)
    context.exported_vars.add('record')
    context.vars['record'] = l_0_record = Macro(environment, macro, 'record', ('fields', 'level'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_f, l_1_h):
        t_17 = []
        if l_1_f is missing:
            l_1_f = undefined("parameter 'f' was not provided", name='f')
        if l_1_h is missing:
            l_1_h = 3
        pass
        t_17.append(
            '<section class="field',
        )
        if (environment.getattr(l_1_f, 'kind') == 'missing'):
            pass
            t_17.append(
                ' is-missing',
            )
        t_17.extend((
            '" id="',
            escape(t_1(environment.getattr(l_1_f, 'loc'))),
            '">\n<h',
            escape(l_1_h),
            '>',
            escape(environment.getattr(l_1_f, 'title')),
            '</h',
            escape(l_1_h),
            '>\n',
            escape(context.call((undefined(name='value') if l_0_value is missing else l_0_value), l_1_f, l_1_h)),
            '\n</section>',
        ))
        return concat(t_17)
    context.exported_vars.add('field')
    context.vars['field'] = l_0_field = Macro(environment, macro, 'field', ('f', 'h'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_s):
        t_18 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        if environment.getattr(l_1_s, 'single'):
            pass
            t_18.extend((
                escape(context.call((undefined(name='value') if l_0_value is missing else l_0_value), environment.getattr(l_1_s, 'single'), 2)),
                '\n',
            ))
        else:
            pass
            t_18.extend((
                escape(context.call((undefined(name='fieldlist') if l_0_fieldlist is missing else l_0_fieldlist), environment.getattr(l_1_s, 'facts'), environment.getattr(l_1_s, 'blocks'), (environment.getattr(l_1_s, 'key') in ('quantitative_analyses', 'data')))),
                '\n',
            ))
        return concat(t_18)
    context.exported_vars.add('fields')
    context.vars['fields'] = l_0_fields = Macro(environment, macro, 'fields', ('s',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_facts, l_1_blocks, l_1_settings, l_1_h):
        t_19 = []
        if l_1_facts is missing:
            l_1_facts = undefined("parameter 'facts' was not provided", name='facts')
        if l_1_blocks is missing:
            l_1_blocks = undefined("parameter 'blocks' was not provided", name='blocks')
        if l_1_settings is missing:
            l_1_settings = False
        if l_1_h is missing:
            l_1_h = 3
        pass
        if l_1_facts:
            pass
            t_19.append(
                '<dl class="facts',
            )
            if l_1_settings:
                pass
                t_19.append(
                    ' settings',
                )
            t_19.append(
                '">\n',
            )
            for l_2_f in l_1_facts:
                _loop_vars = {}
                pass
                t_19.extend((
                    '<dt>',
                    escape(environment.getattr(l_2_f, 'title')),
                    '</dt><dd>',
                ))
                if (environment.getattr(l_2_f, 'kind') == 'link'):
                    pass
                    t_19.append(
                        escape(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_2_f, 'value'), environment.getitem(environment.getitem(l_2_f, 'items'), 0), _loop_vars=_loop_vars)),
                    )
                else:
                    pass
                    t_19.append(
                        escape(environment.getattr(l_2_f, 'value')),
                    )
                t_19.append(
                    '</dd>\n',
                )
            l_2_f = missing
            t_19.append(
                '</dl>\n',
            )
        for l_2_f in l_1_blocks:
            _loop_vars = {}
            pass
            t_19.extend((
                escape(context.call((undefined(name='field') if l_0_field is missing else l_0_field), l_2_f, l_1_h, _loop_vars=_loop_vars)),
                '\n',
            ))
        l_2_f = missing
        return concat(t_19)
    context.exported_vars.add('fieldlist')
    context.vars['fieldlist'] = l_0_fieldlist = Macro(environment, macro, 'fieldlist', ('facts', 'blocks', 'settings', 'h'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_view, l_1_key, l_1_caller):
        t_20 = []
        l_1_s = resolve('s')
        if l_1_view is missing:
            l_1_view = undefined("parameter 'view' was not provided", name='view')
        if l_1_key is missing:
            l_1_key = undefined("parameter 'key' was not provided", name='key')
        pass
        if (l_1_key in environment.getattr(l_1_view, 'section')):
            pass
            l_1_s = environment.getitem(environment.getattr(l_1_view, 'section'), l_1_key)
            t_20.extend((
                '<section class="card-section" id="',
                escape(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'anchor')),
                '" aria-labelledby="',
                escape(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'anchor')),
                '-h">\n<h2 id="',
                escape(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'anchor')),
                '-h">',
                escape(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'heading')),
                '</h2>\n',
            ))
            if (environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'missing') and (t_3(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'missing')) == t_3(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'fields')))):
                pass
                t_20.append(
                    '<p class="missing section-missing"><strong>This section has not been filled in.</strong></p>\n',
                )
            if t_10(l_1_caller):
                pass
                t_20.append(
                    escape(context.call(l_1_caller, (undefined(name='s') if l_1_s is missing else l_1_s))),
                )
            else:
                pass
                t_20.append(
                    escape(context.call((undefined(name='fields') if l_0_fields is missing else l_0_fields), (undefined(name='s') if l_1_s is missing else l_1_s))),
                )
            t_20.append(
                '</section>\n',
            )
        return concat(t_20)
    context.exported_vars.add('section')
    context.vars['section'] = l_0_section = Macro(environment, macro, 'section', ('view', 'key'), False, False, True, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c, l_1_tag):
        t_21 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_tag is missing:
            l_1_tag = 'td'
        pass
        t_21.extend((
            '<',
            escape(l_1_tag),
        ))
        if (l_1_tag == 'th'):
            pass
            t_21.append(
                ' scope="row"',
            )
        if environment.getattr(l_1_c, 'cls'):
            pass
            t_21.extend((
                ' class="',
                escape(environment.getattr(l_1_c, 'cls')),
                '"',
            ))
        if (environment.getattr(l_1_c, 'span') > 1):
            pass
            t_21.extend((
                ' colspan="',
                escape(environment.getattr(l_1_c, 'span')),
                '"',
            ))
        t_21.extend((
            '>',
            escape((t_5(environment.getattr(l_1_c, 'text')) if (l_1_tag == 'th') else environment.getattr(l_1_c, 'text'))),
        ))
        if environment.getattr(l_1_c, 'sub'):
            pass
            t_21.extend((
                ' <span class="sub">',
                escape(environment.getattr(l_1_c, 'sub')),
                '</span>',
            ))
        t_21.extend((
            '</',
            escape(l_1_tag),
            '>',
        ))
        return concat(t_21)
    context.exported_vars.add('cell')
    context.vars['cell'] = l_0_cell = Macro(environment, macro, 'cell', ('c', 'tag'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_t, l_1_cls):
        t_22 = []
        if l_1_t is missing:
            l_1_t = undefined("parameter 't' was not provided", name='t')
        if l_1_cls is missing:
            l_1_cls = ''
        pass
        t_22.extend((
            '<div class="table-wrap">\n<table id="',
            escape(environment.getattr(l_1_t, 'id')),
            '" class="results',
        ))
        if l_1_cls:
            pass
            t_22.extend((
                ' ',
                escape(l_1_cls),
            ))
        if (environment.getattr(l_1_t, 'width') <= 4):
            pass
            t_22.append(
                ' narrow',
            )
        t_22.extend((
            '">\n<caption>',
            escape(environment.getattr(l_1_t, 'caption')),
            '</caption>\n<thead><tr>',
        ))
        l_2_loop = missing
        for l_2_c, l_2_loop in LoopContext(environment.getattr(l_1_t, 'columns'), undefined):
            _loop_vars = {}
            pass
            t_22.append(
                '<th scope="col"',
            )
            if environment.getitem(environment.getattr(l_1_t, 'numeric'), environment.getattr(l_2_loop, 'index0')):
                pass
                t_22.append(
                    ' class="num"',
                )
            t_22.extend((
                '>',
                escape(t_5(l_2_c)),
                '</th>',
            ))
        l_2_loop = l_2_c = missing
        t_22.append(
            '</tr></thead>\n',
        )
        l_2_loop = missing
        for l_2_g, l_2_loop in LoopContext(environment.getattr(l_1_t, 'groups'), undefined):
            _loop_vars = {}
            pass
            t_22.append(
                '<tbody>\n',
            )
            if environment.getattr(l_2_g, 'title'):
                pass
                t_22.extend((
                    '<tr class="group"><th scope="colgroup" colspan="',
                    escape(environment.getattr(l_1_t, 'width')),
                    '">',
                    escape(environment.getattr(l_2_g, 'title')),
                    '</th></tr>',
                ))
            l_3_loop = missing
            for l_3_row, l_3_loop in LoopContext(environment.getattr(l_2_g, 'rows'), undefined):
                _loop_vars = {}
                pass
                t_22.append(
                    '<tr>',
                )
                l_4_loop = missing
                for l_4_c, l_4_loop in LoopContext(l_3_row, undefined):
                    _loop_vars = {}
                    pass
                    t_22.append(
                        escape(context.call((undefined(name='cell') if l_0_cell is missing else l_0_cell), l_4_c, ('th' if environment.getattr(l_4_loop, 'first') else 'td'), _loop_vars=_loop_vars)),
                    )
                l_4_loop = l_4_c = missing
                t_22.append(
                    '</tr>\n',
                )
            l_3_loop = l_3_row = missing
            t_22.append(
                '</tbody>\n',
            )
        l_2_loop = l_2_g = missing
        t_22.append(
            '</table>\n</div>\n',
        )
        for l_2_note in environment.getattr(l_1_t, 'notes'):
            _loop_vars = {}
            pass
            t_22.extend((
                '<p class="note">',
                escape(l_2_note),
                '</p>',
            ))
        l_2_note = missing
        return concat(t_22)
    context.exported_vars.add('table')
    context.vars['table'] = l_0_table = Macro(environment, macro, 'table', ('t', 'cls'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c, l_1_narrow):
        t_23 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_narrow is missing:
            l_1_narrow = False
        pass
        t_23.append(
            '<figure class="chart',
        )
        if ((not environment.getattr(l_1_c, 'wide')) or l_1_narrow):
            pass
            t_23.append(
                ' half',
            )
        t_23.extend((
            '" id="',
            escape(environment.getattr(l_1_c, 'id')),
            '-figure">\n',
            escape(t_9((environment.getattr(l_1_c, 'narrow_svg') if l_1_narrow else environment.getattr(l_1_c, 'svg')))),
            '\n<figcaption>',
            escape(environment.getattr(l_1_c, 'caption')),
            '</figcaption>\n</figure>',
        ))
        return concat(t_23)
    context.exported_vars.add('figure')
    context.vars['figure'] = l_0_figure = Macro(environment, macro, 'figure', ('c', 'narrow'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_a, l_1_h, l_1_pdf):
        t_24 = []
        l_1_p = missing
        if l_1_a is missing:
            l_1_a = undefined("parameter 'a' was not provided", name='a')
        if l_1_h is missing:
            l_1_h = 3
        if l_1_pdf is missing:
            l_1_pdf = False
        pass
        l_1_p = (markup_join((t_1(environment.getattr(l_1_a, 'name')), '-', )) if environment.getattr(l_1_a, 'name') else '')
        if (not environment.getattr(l_1_a, 'computed')):
            pass
            if environment.getattr(l_1_a, 'message'):
                pass
                t_24.extend((
                    '<p class="missing"><strong>',
                    escape(environment.getattr(l_1_a, 'message')),
                    '</strong></p>',
                ))
        else:
            pass
            if environment.getattr(l_1_a, 'groups'):
                pass
                t_24.extend((
                    '<section class="results" id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'results-by-group-section" aria-labelledby="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'results-by-group-h">\n<h',
                    escape(l_1_h),
                    ' id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'results-by-group-h">Results by group</h',
                    escape(l_1_h),
                    '>\n',
                ))
                if (l_1_pdf and environment.getattr(l_1_a, 'chart_beside')):
                    pass
                    t_24.extend((
                        '<div class="beside">\n<div class="beside-table">',
                        escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_a, 'groups'), 'groups')),
                        '</div>\n',
                        escape(context.call((undefined(name='figure') if l_0_figure is missing else l_0_figure), environment.getattr(l_1_a, 'group_chart'), True)),
                        '\n</div>\n',
                    ))
                else:
                    pass
                    for l_2_t in environment.getattr(l_1_a, 'group_tables'):
                        _loop_vars = {}
                        pass
                        t_24.extend((
                            escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, 'groups', _loop_vars=_loop_vars)),
                            '\n',
                        ))
                    l_2_t = missing
                    if environment.getattr(l_1_a, 'group_chart'):
                        pass
                        t_24.append(
                            escape(context.call((undefined(name='figure') if l_0_figure is missing else l_0_figure), environment.getattr(l_1_a, 'group_chart'))),
                        )
                t_24.append(
                    '</section>\n',
                )
            elif environment.getattr(l_1_a, 'overall'):
                pass
                t_24.extend((
                    escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_a, 'overall'))),
                    '\n',
                ))
            if (environment.getattr(l_1_a, 'task_charts') or environment.getattr(l_1_a, 'task_tables')):
                pass
                t_24.extend((
                    '<section class="results" id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'task-results" aria-labelledby="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'task-results-h">\n<h',
                    escape(l_1_h),
                    ' id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'task-results-h">',
                    escape(environment.getattr(l_1_a, 'task_heading')),
                    '</h',
                    escape(l_1_h),
                    '>\n',
                ))
                for l_2_t in environment.getattr(l_1_a, 'task_tables'):
                    _loop_vars = {}
                    pass
                    t_24.extend((
                        escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                        '\n',
                    ))
                l_2_t = missing
                for l_2_c in environment.getattr(l_1_a, 'task_charts'):
                    _loop_vars = {}
                    pass
                    t_24.extend((
                        escape(context.call((undefined(name='figure') if l_0_figure is missing else l_0_figure), l_2_c, _loop_vars=_loop_vars)),
                        '\n',
                    ))
                l_2_c = missing
                t_24.append(
                    '</section>\n',
                )
            for l_2_t in environment.getattr(l_1_a, 'explanations'):
                _loop_vars = {}
                pass
                t_24.extend((
                    '<section class="results" id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    escape(environment.getattr(l_2_t, 'id')),
                    '-section" aria-labelledby="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    escape(environment.getattr(l_2_t, 'id')),
                    '-h">\n<h',
                    escape(l_1_h),
                    ' id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    escape(environment.getattr(l_2_t, 'id')),
                    '-h">',
                    escape((environment.getattr(l_2_t, 'heading') or environment.getattr(l_2_t, 'caption'))),
                    '</h',
                    escape(l_1_h),
                    '>\n',
                    escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                    '\n',
                ))
                for l_3_c in environment.getattr(l_2_t, 'charts'):
                    _loop_vars = {}
                    pass
                    t_24.extend((
                        escape(context.call((undefined(name='figure') if l_0_figure is missing else l_0_figure), l_3_c, _loop_vars=_loop_vars)),
                        '\n',
                    ))
                l_3_c = missing
                t_24.append(
                    '</section>\n',
                )
            l_2_t = missing
            if environment.getattr(l_1_a, 'intersection_charts'):
                pass
                t_24.extend((
                    '<section class="results" id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'intersections" aria-labelledby="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'intersections-h">\n<h',
                    escape(l_1_h),
                    ' id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'intersections-h">Intersections</h',
                    escape(l_1_h),
                    '>\n<p class="chart-intro">One heat map per metric. Each cell prints the estimate; its colour shows how far it lies from the overall value, strong when the ',
                    escape(environment.getattr(l_1_a, 'level')),
                    " interval excludes the overall value and pale when it does not. Every number, with its interval, is in each chart's text description",
                ))
                if (environment.getattr(l_1_a, 'appendix') and environment.getattr(l_1_a, 'intersections')):
                    pass
                    t_24.append(
                        ' and in the full tables of the appendix',
                    )
                t_24.extend((
                    '.</p>\n<div class="chart-key">',
                    escape(t_9(environment.getattr(l_1_a, 'intersection_key'))),
                    '</div>\n',
                ))
                if environment.getattr(l_1_a, 'hidden_note'):
                    pass
                    t_24.extend((
                        '<p class="note">',
                        escape(environment.getattr(l_1_a, 'hidden_note')),
                        '</p>',
                    ))
                t_24.append(
                    '<div class="charts heatmaps">\n',
                )
                for l_2_row in environment.getattr(l_1_a, 'intersection_rows'):
                    _loop_vars = {}
                    pass
                    t_24.append(
                        '<div class="chart-row">\n',
                    )
                    for l_3_c in l_2_row:
                        _loop_vars = {}
                        pass
                        t_24.extend((
                            escape(context.call((undefined(name='figure') if l_0_figure is missing else l_0_figure), l_3_c, _loop_vars=_loop_vars)),
                            '\n',
                        ))
                    l_3_c = missing
                    t_24.append(
                        '</div>\n',
                    )
                l_2_row = missing
                t_24.append(
                    '</div>\n</section>\n',
                )
            if environment.getattr(l_1_a, 'suppressed_note_charted'):
                pass
                t_24.extend((
                    '<div class="note suppressed-list">',
                    escape(t_6(environment.getattr(l_1_a, 'suppressed_note_charted'), 3)),
                    '</div>\n',
                ))
            if environment.getattr(l_1_a, 'unobserved'):
                pass
                t_24.extend((
                    '<p class="note unobserved"><strong>No rows at all:</strong> ',
                    escape(t_2(context.eval_ctx, environment.getattr(l_1_a, 'unobserved'), '; ')),
                    '. Nothing can be said about these combinations.</p>\n',
                ))
            for l_2_note in environment.getattr(l_1_a, 'notes'):
                _loop_vars = {}
                pass
                t_24.extend((
                    '<div class="note">',
                    escape(t_6(l_2_note, 3)),
                    '</div>\n',
                ))
            l_2_note = missing
        return concat(t_24)
    context.exported_vars.add('analyses')
    context.vars['analyses'] = l_0_analyses = Macro(environment, macro, 'analyses', ('a', 'h', 'pdf'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_a, l_1_method, l_1_pdf):
        t_25 = []
        l_1_h = resolve('h')
        l_1_p = missing
        if l_1_a is missing:
            l_1_a = undefined("parameter 'a' was not provided", name='a')
        if l_1_method is missing:
            l_1_method = undefined("parameter 'method' was not provided", name='method')
        if l_1_pdf is missing:
            l_1_pdf = False
        pass
        l_1_p = (markup_join((t_1(environment.getattr(l_1_a, 'name')), '-', )) if environment.getattr(l_1_a, 'name') else '')
        if environment.getattr(l_1_a, 'name'):
            pass
            t_25.extend((
                '<section class="evaluation" id="evaluation-',
                escape(t_1(environment.getattr(l_1_a, 'name'))),
                '" aria-labelledby="evaluation-',
                escape(t_1(environment.getattr(l_1_a, 'name'))),
                '-h">\n<h3 id="evaluation-',
                escape(t_1(environment.getattr(l_1_a, 'name'))),
                '-h">Evaluation: ',
                escape(environment.getattr(l_1_a, 'name')),
                '</h3>',
            ))
        t_25.extend((
            escape(context.call((undefined(name='analyses') if l_0_analyses is missing else l_0_analyses), l_1_a, (4 if environment.getattr(l_1_a, 'name') else 3), l_1_pdf)),
            '\n',
        ))
        if l_1_method:
            pass
            l_1_h = (4 if environment.getattr(l_1_a, 'name') else 3)
            if environment.getattr(l_1_a, 'computed'):
                pass
                t_25.extend((
                    '<h',
                    escape((undefined(name='h') if l_1_h is missing else l_1_h)),
                    ' id="',
                    escape((undefined(name='p') if l_1_p is missing else l_1_p)),
                    'method-h" class="method">How these results were computed</h',
                    escape((undefined(name='h') if l_1_h is missing else l_1_h)),
                    '>',
                ))
            t_25.extend((
                escape(context.call((undefined(name='fieldlist') if l_0_fieldlist is missing else l_0_fieldlist), t_4(context.eval_ctx, t_8(context, l_1_method, 'kind', 'in', ['text', 'link'])), t_4(context.eval_ctx, t_7(context, l_1_method, 'kind', 'in', ['text', 'link'])), True, (undefined(name='h') if l_1_h is missing else l_1_h))),
                '\n',
            ))
        if environment.getattr(l_1_a, 'name'):
            pass
            t_25.append(
                '</section>',
            )
        return concat(t_25)
    context.exported_vars.add('evaluation')
    context.vars['evaluation'] = l_0_evaluation = Macro(environment, macro, 'evaluation', ('a', 'method', 'pdf'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_s):
        t_26 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        if (not t_11(l_1_s)):
            pass
            t_26.extend((
                '<section class="summary" id="summary" aria-labelledby="summary-h">\n<h2 id="summary-h">Summary</h2>\n<p class="verdict ',
                escape(environment.getattr(l_1_s, 'verdict_cls')),
                '"><strong>',
                escape(environment.getattr(l_1_s, 'verdict')),
                '</strong> ',
                escape(environment.getattr(l_1_s, 'basis')),
                '</p>\n',
            ))
            if environment.getattr(l_1_s, 'gates'):
                pass
                t_26.append(
                    escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_s, 'gates'), 'gates')),
                )
            for l_2_t in environment.getattr(l_1_s, 'tables'):
                _loop_vars = {}
                pass
                t_26.extend((
                    escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, 'headline', _loop_vars=_loop_vars)),
                    '\n',
                ))
            l_2_t = missing
            if environment.getattr(l_1_s, 'flags'):
                pass
                t_26.append(
                    '<ul class="flags">\n',
                )
                for l_2_f in environment.getattr(l_1_s, 'flags'):
                    _loop_vars = {}
                    pass
                    t_26.extend((
                        '<li>',
                        escape(l_2_f),
                        '</li>\n',
                    ))
                l_2_f = missing
                t_26.append(
                    '</ul>\n',
                )
            t_26.append(
                '</section>\n',
            )
        return concat(t_26)
    context.exported_vars.add('summary')
    context.vars['summary'] = l_0_summary = Macro(environment, macro, 'summary', ('s',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_view, l_1_pdf):
        t_27 = []
        if l_1_view is missing:
            l_1_view = undefined("parameter 'view' was not provided", name='view')
        if l_1_pdf is missing:
            l_1_pdf = undefined("parameter 'pdf' was not provided", name='pdf')
        pass
        t_27.append(
            '<section class="appendix" id="appendix" aria-labelledby="appendix-h">\n<h2 id="appendix-h">Appendix: full tables</h2>\n',
        )
        if (not l_1_pdf):
            pass
            t_27.append(
                '<p>Every intersection and every difference from a reference group, with intervals. Open a table to read it.</p>',
            )
        def t_28(fiter):
            for l_2_a in fiter:
                if environment.getattr(l_2_a, 'computed'):
                    yield l_2_a
        for l_2_a in t_28(environment.getattr(l_1_view, 'evaluations')):
            _loop_vars = {}
            pass
            for l_3_t in (environment.getattr(l_2_a, 'intersections') + environment.getattr(l_2_a, 'gaps')):
                _loop_vars = {}
                pass
                if l_1_pdf:
                    pass
                    t_27.append(
                        escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_t, _loop_vars=_loop_vars)),
                    )
                else:
                    pass
                    t_27.extend((
                        '<details><summary>',
                        escape((markup_join((environment.getattr(l_2_a, 'name'), ': ', )) if environment.getattr(l_2_a, 'name') else cond_expr_undefined("the inline if-expression on line 251 in '_macros.html.j2' evaluated to false and no else section was defined."))),
                        escape(environment.getattr(l_3_t, 'caption')),
                        '</summary>\n',
                        escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_t, _loop_vars=_loop_vars)),
                        '\n</details>',
                    ))
            l_3_t = missing
            if environment.getattr(l_2_a, 'suppressed_intersections'):
                pass
                t_27.extend((
                    '<h3 id="',
                    escape((markup_join((t_1(environment.getattr(l_2_a, 'name')), '-', )) if environment.getattr(l_2_a, 'name') else cond_expr_undefined("the inline if-expression on line 256 in '_macros.html.j2' evaluated to false and no else section was defined."))),
                    'appendix-suppressed">Suppressed intersectional groups',
                    escape((markup_join((' (', environment.getattr(l_2_a, 'name'), ')', )) if environment.getattr(l_2_a, 'name') else cond_expr_undefined("the inline if-expression on line 256 in '_macros.html.j2' evaluated to false and no else section was defined."))),
                    '</h3>\n<p class="note">Fewer rows than the minimum group size, or counts too small to publish (min_cell_size): metrics not shown. ',
                    escape(t_2(context.eval_ctx, environment.getattr(l_2_a, 'suppressed_intersections'), '; ')),
                    '.</p>\n',
                ))
        l_2_a = missing
        t_27.append(
            '</section>',
        )
        return concat(t_27)
    context.exported_vars.add('appendix')
    context.vars['appendix'] = l_0_appendix = Macro(environment, macro, 'appendix', ('view', 'pdf'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c):
        t_29 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        pass
        if (not environment.getattr(l_1_c, 'computed')):
            pass
            t_29.extend((
                '<p class="missing"><strong>',
                escape(environment.getattr(l_1_c, 'message')),
                '</strong></p>\n',
            ))
        else:
            pass
            if environment.getattr(l_1_c, 'overview'):
                pass
                t_29.append(
                    escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_c, 'overview'))),
                )
            for l_2_t in environment.getattr(l_1_c, 'tables'):
                _loop_vars = {}
                pass
                t_29.extend((
                    escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                    '\n',
                ))
                for l_3_d in environment.getattr(l_2_t, 'details'):
                    _loop_vars = {}
                    pass
                    t_29.extend((
                        escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_d, _loop_vars=_loop_vars)),
                        '\n',
                    ))
                l_3_d = missing
            l_2_t = missing
            if environment.getattr(l_1_c, 'intersections'):
                pass
                t_29.append(
                    '<section class="results" id="composition-intersections" aria-labelledby="composition-intersections-h">\n<h3 id="composition-intersections-h">Intersections</h3>\n',
                )
                for l_2_t in environment.getattr(l_1_c, 'intersections'):
                    _loop_vars = {}
                    pass
                    t_29.extend((
                        escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                        '\n',
                    ))
                    for l_3_d in environment.getattr(l_2_t, 'details'):
                        _loop_vars = {}
                        pass
                        t_29.extend((
                            escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_d, _loop_vars=_loop_vars)),
                            '\n',
                        ))
                    l_3_d = missing
                l_2_t = missing
                t_29.append(
                    '</section>\n',
                )
            if environment.getattr(l_1_c, 'unobserved'):
                pass
                t_29.extend((
                    '<p class="note unobserved"><strong>No rows at all:</strong> ',
                    escape(t_2(context.eval_ctx, environment.getattr(l_1_c, 'unobserved'), '; ')),
                    '.</p>\n',
                ))
            for l_2_note in environment.getattr(l_1_c, 'notes'):
                _loop_vars = {}
                pass
                t_29.extend((
                    '<div class="note">',
                    escape(t_6(l_2_note, 3)),
                    '</div>\n',
                ))
            l_2_note = missing
        return concat(t_29)
    context.exported_vars.add('composition')
    context.vars['composition'] = l_0_composition = Macro(environment, macro, 'composition', ('c',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '3=78&4=85&5=89&7=98&11=107&12=114&15=123&16=130&17=134&18=137&19=140&20=143&21=147&22=150&23=154&24=157&26=162&27=167&30=174&32=179&33=184&36=193&39=198&41=210&42=216&47=243&48=246&49=249&50=251&51=254&53=258&54=291&58=309&59=311&66=319&68=329&69=334&70=337&75=368&76=378&77=387&78=393&82=400&83=405&84=408&86=414&90=421&91=432&92=437&93=445&94=450&98=470&99=474&103=482&104=490&105=492&106=495&107=499&108=504&111=509&116=526&117=535&120=576&122=585&123=601&124=605&125=626&127=632&128=642&129=649&135=667&138=680&139=690&140=699&141=701&145=708&146=718&147=719&148=721&150=730&151=734&152=738&153=745&155=749&156=751&159=756&161=764&164=772&165=775&167=778&168=782&169=786&170=795&172=803&176=814&177=819&178=825&179=834&180=837&184=849&185=853&186=857&187=863&188=873&189=876&191=886&193=892&194=896&201=907&202=911&204=914&205=918&207=921&208=926&213=934&214=945&215=946&216=954&217=960&218=963&219=965&220=966&221=978&223=981&226=990&227=995&230=999&231=1006&232=1011&233=1015&235=1019&237=1024&245=1043&248=1053&249=1058&250=1065&251=1068&252=1080&255=1084&256=1088&257=1092&263=1103&264=1108&265=1112&267=1117&268=1122&269=1126&270=1129&273=1138&276=1143&277=1147&278=1150&283=1162&284=1166&286=1169&287=1174'