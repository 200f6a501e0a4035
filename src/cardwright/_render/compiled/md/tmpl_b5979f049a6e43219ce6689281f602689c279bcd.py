from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_link = l_0_value = l_0_record = l_0_fields = l_0_fieldlist = l_0_section = l_0_row = l_0_table = l_0_analyses = l_0_evaluation = l_0_summary = l_0_appendix = l_0_composition = missing
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_2 = environment.filters['comment']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'comment' found.")
    try:
        t_3 = environment.filters['indent']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'indent' found.")
    try:
        t_4 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_5 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_6 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_7 = environment.filters['map']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'map' found.")
    try:
        t_8 = environment.filters['prose']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'prose' found.")
    try:
        t_9 = environment.filters['rejectattr']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'rejectattr' found.")
    try:
        t_10 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    try:
        t_11 = environment.filters['string']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No filter named 'string' found.")
    try:
        t_12 = environment.filters['urlpart']
    except KeyError:
        @internalcode
        def t_12(*unused):
            raise TemplateRuntimeError("No filter named 'urlpart' found.")
    try:
        t_13 = environment.tests['defined']
    except KeyError:
        @internalcode
        def t_13(*unused):
            raise TemplateRuntimeError("No test named 'defined' found.")
    try:
        t_14 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_14(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_url, l_1_text):
        t_15 = []
        if l_1_url is missing:
            l_1_url = undefined("parameter 'url' was not provided", name='url')
        if l_1_text is missing:
            l_1_text = undefined("parameter 'text' was not provided", name='text')
        pass
        if (('@' in l_1_url) and (not context.call(environment.getattr(l_1_url, 'startswith'), ('http://', 'https://', 'mailto:')))):
            pass
            t_15.extend((
                '[',
                str(t_1(l_1_text)),
                '](mailto:',
                str(t_12(l_1_url)),
                ')',
            ))
        else:
            pass
            t_15.extend((
                '[',
                str(t_1(l_1_text)),
                '](',
                str(t_12(l_1_url)),
                ')',
            ))
        return concat(t_15)
    context.exported_vars.add('link')
    context.vars['link'] = l_0_link = Macro(environment, macro, 'link', ('url', 'text'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_f, l_1_level):
        t_16 = []
        if l_1_f is missing:
            l_1_f = undefined("parameter 'f' was not provided", name='f')
        if l_1_level is missing:
            l_1_level = undefined("parameter 'level' was not provided", name='level')
        pass
        if (environment.getattr(l_1_f, 'kind') == 'prose'):
            pass
            t_16.extend((
                str(t_8(environment.getattr(l_1_f, 'value'), l_1_level)),
                '\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'missing'):
            pass
            t_16.extend((
                '**',
                str(t_1(environment.getattr(l_1_f, 'value'))),
                '** <!-- To answer: ',
                str(t_2(environment.getattr(l_1_f, 'guidance'))),
                ' -->\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'text'):
            pass
            t_16.extend((
                str(t_1(environment.getattr(l_1_f, 'value'))),
                '\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'link'):
            pass
            t_16.extend((
                str(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_1_f, 'value'), environment.getitem(environment.getitem(l_1_f, 'items'), 0))),
                '\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'items'):
            pass
            for l_2_item in environment.getitem(l_1_f, 'items'):
                _loop_vars = {}
                pass
                t_16.extend((
                    '- ',
                    str(t_1(l_2_item)),
                    '\n',
                ))
            l_2_item = missing
        elif (environment.getattr(l_1_f, 'kind') == 'mapping'):
            pass
            for (l_2_k, l_2_v) in environment.getattr(l_1_f, 'rows'):
                _loop_vars = {}
                pass
                t_16.extend((
                    '- **',
                    str(t_1(l_2_k)),
                    ':** ',
                    str(t_1(l_2_v)),
                    '\n',
                ))
            l_2_k = l_2_v = missing
        elif (environment.getattr(l_1_f, 'kind') == 'table'):
            pass
            t_16.append(
                '| ',
            )
            for l_2_c in environment.getattr(l_1_f, 'columns'):
                _loop_vars = {}
                pass
                t_16.extend((
                    str(t_1(l_2_c)),
                    ' | ',
                ))
            l_2_c = missing
            t_16.append(
                '\n|',
            )
            for l_2_c in environment.getattr(l_1_f, 'columns'):
                _loop_vars = {}
                pass
                t_16.append(
                    ' --- |',
                )
            l_2_c = missing
            t_16.append(
                '\n',
            )
            for l_2_row in environment.getattr(l_1_f, 'rows'):
                _loop_vars = {}
                pass
                t_16.append(
                    '| ',
                )
                for l_3_c in l_2_row:
                    _loop_vars = {}
                    pass
                    t_16.extend((
                        str(t_1(l_3_c)),
                        ' | ',
                    ))
                l_3_c = missing
                t_16.append(
                    '\n',
                )
            l_2_row = missing
        elif (environment.getattr(l_1_f, 'kind') == 'record'):
            pass
            t_16.extend((
                str(context.call((undefined(name='record') if l_0_record is missing else l_0_record), environment.getattr(l_1_f, 'fields'), (l_1_level + 1))),
                '\n',
            ))
        elif (environment.getattr(l_1_f, 'kind') == 'records'):
            pass
            for l_2_r in environment.getattr(l_1_f, 'fields'):
                _loop_vars = {}
                pass
                t_16.extend((
                    '- **',
                    str(t_1(environment.getattr(l_2_r, 'title'))),
                    '**\n',
                    str(t_3(context.call((undefined(name='record') if l_0_record is missing else l_0_record), environment.getattr(l_2_r, 'fields'), (l_1_level + 1), _loop_vars=_loop_vars), 2, True)),
                    '\n',
                ))
            l_2_r = missing
        return concat(t_16)
    context.exported_vars.add('value')
    context.vars['value'] = l_0_value = Macro(environment, macro, 'value', ('f', 'level'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_fields, l_1_level):
        t_17 = []
        if l_1_fields is missing:
            l_1_fields = undefined("parameter 'fields' was not provided", name='fields')
        if l_1_level is missing:
            l_1_level = undefined("parameter 'level' was not provided", name='level')
        pass
        for l_2_f in l_1_fields:
            _loop_vars = {}
            pass
            if (environment.getattr(l_2_f, 'kind') == 'text'):
                pass
                t_17.extend((
                    '- **',
                    str(t_1(environment.getattr(l_2_f, 'title'))),
                    ':** ',
                    str(t_1(environment.getattr(l_2_f, 'value'))),
                    '\n',
                ))
            elif (environment.getattr(l_2_f, 'kind') == 'items'):
                pass
                t_17.extend((
                    '- **',
                    str(t_1(environment.getattr(l_2_f, 'title'))),
                    ':** ',
                    str(t_4(context.eval_ctx, t_7(context, environment.getitem(l_2_f, 'items'), 'cell'), ', ')),
                    '\n',
                ))
            elif (environment.getattr(l_2_f, 'kind') == 'link'):
                pass
                t_17.extend((
                    '- **',
                    str(t_1(environment.getattr(l_2_f, 'title'))),
                    ':** ',
                    str(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_2_f, 'value'), environment.getitem(environment.getitem(l_2_f, 'items'), 0), _loop_vars=_loop_vars)),
                    '\n',
                ))
            else:
                pass
                t_17.extend((
                    '- **',
                    str(t_1(environment.getattr(l_2_f, 'title'))),
                    ':**\n\n',
                    str(t_3(context.call((undefined(name='value') if l_0_value is missing else l_0_value), l_2_f, l_1_level, _loop_vars=_loop_vars), 2, True)),
                    '\n',
                ))
        l_2_f = missing
        return concat(t_17)
    context.exported_vars.add('record')
    context.vars['record'] = l_0_record = Macro(environment, macro, 'record', ('fields', 'level'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_s):
        t_18 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        if environment.getattr(l_1_s, 'single'):
            pass
            t_18.extend((
                str(context.call((undefined(name='value') if l_0_value is missing else l_0_value), environment.getattr(l_1_s, 'single'), 2)),
                '\n\n',
            ))
        else:
            pass
            t_18.extend((
                str(context.call((undefined(name='fieldlist') if l_0_fieldlist is missing else l_0_fieldlist), environment.getattr(l_1_s, 'facts'), environment.getattr(l_1_s, 'blocks'))),
                '\n',
            ))
        return concat(t_18)
    context.exported_vars.add('fields')
    context.vars['fields'] = l_0_fields = Macro(environment, macro, 'fields', ('s',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_facts, l_1_blocks, l_1_h):
        t_19 = []
        if l_1_facts is missing:
            l_1_facts = undefined("parameter 'facts' was not provided", name='facts')
        if l_1_blocks is missing:
            l_1_blocks = undefined("parameter 'blocks' was not provided", name='blocks')
        if l_1_h is missing:
            l_1_h = 3
        pass
        if l_1_facts:
            pass
            for l_2_f in l_1_facts:
                _loop_vars = {}
                pass
                t_19.extend((
                    '- **',
                    str(t_1(environment.getattr(l_2_f, 'title'))),
                    ':** ',
                ))
                if (environment.getattr(l_2_f, 'kind') == 'link'):
                    pass
                    t_19.append(
                        str(context.call((undefined(name='link') if l_0_link is missing else l_0_link), environment.getattr(l_2_f, 'value'), environment.getitem(environment.getitem(l_2_f, 'items'), 0), _loop_vars=_loop_vars)),
                    )
                else:
                    pass
                    t_19.append(
                        str(t_1(environment.getattr(l_2_f, 'value'))),
                    )
                t_19.append(
                    '\n',
                )
            l_2_f = missing
            t_19.append(
                '\n',
            )
        for l_2_f in l_1_blocks:
            _loop_vars = {}
            pass
            t_19.extend((
                str(('#' * l_1_h)),
                ' ',
                str(t_1(environment.getattr(l_2_f, 'title'))),
                '\n\n',
                str(context.call((undefined(name='value') if l_0_value is missing else l_0_value), l_2_f, l_1_h, _loop_vars=_loop_vars)),
                '\n\n',
            ))
        l_2_f = missing
        return concat(t_19)
    context.exported_vars.add('fieldlist')
    context.vars['fieldlist'] = l_0_fieldlist = Macro(environment, macro, 'fieldlist', ('facts', 'blocks', 'h'), False, False, False, context.eval_ctx.autoescape)
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
                '## ',
                str(t_1(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'heading'))),
                '\n\n',
            ))
            if (environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'missing') and (t_5(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'missing')) == t_5(environment.getattr((undefined(name='s') if l_1_s is missing else l_1_s), 'fields')))):
                pass
                t_20.append(
                    '> **This section has not been filled in.**\n\n',
                )
            if t_13(l_1_caller):
                pass
                t_20.append(
                    str(context.call(l_1_caller, (undefined(name='s') if l_1_s is missing else l_1_s))),
                )
            else:
                pass
                t_20.append(
                    str(context.call((undefined(name='fields') if l_0_fields is missing else l_0_fields), (undefined(name='s') if l_1_s is missing else l_1_s))),
                )
            t_20.append(
                '\n',
            )
        return concat(t_20)
    context.exported_vars.add('section')
    context.vars['section'] = l_0_section = Macro(environment, macro, 'section', ('view', 'key'), False, False, True, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_cells, l_1_width):
        t_21 = []
        if l_1_cells is missing:
            l_1_cells = undefined("parameter 'cells' was not provided", name='cells')
        if l_1_width is missing:
            l_1_width = undefined("parameter 'width' was not provided", name='width')
        pass
        t_21.append(
            '| ',
        )
        for l_2_c in l_1_cells:
            l_2_range = resolve('range')
            _loop_vars = {}
            pass
            if (environment.getattr(l_2_c, 'text') in ('PASS', 'FAIL', 'WARN')):
                pass
                t_21.extend((
                    '**',
                    str(environment.getattr(l_2_c, 'text')),
                    '**',
                ))
            else:
                pass
                t_21.append(
                    str(t_1(t_11(l_2_c))),
                )
            t_21.append(
                ' | ',
            )
            for l_3__ in context.call((undefined(name='range') if l_2_range is missing else l_2_range), (environment.getattr(l_2_c, 'span') - 1), _loop_vars=_loop_vars):
                _loop_vars = {}
                pass
                t_21.append(
                    ' | ',
                )
            l_3__ = missing
        l_2_c = l_2_range = missing
        return concat(t_21)
    context.exported_vars.add('row')
    context.vars['row'] = l_0_row = Macro(environment, macro, 'row', ('cells', 'width'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_t, l_1_caption):
        t_22 = []
        if l_1_t is missing:
            l_1_t = undefined("parameter 't' was not provided", name='t')
        if l_1_caption is missing:
            l_1_caption = True
        pass
        if l_1_caption:
            pass
            t_22.extend((
                '**',
                str(t_1(environment.getattr(l_1_t, 'caption'))),
                '**\n',
            ))
        t_22.append(
            '\n| ',
        )
        for l_2_c in environment.getattr(l_1_t, 'columns'):
            _loop_vars = {}
            pass
            t_22.extend((
                str(t_1(l_2_c)),
                ' | ',
            ))
        l_2_c = missing
        t_22.append(
            '\n|',
        )
        l_2_loop = missing
        for l_2_c, l_2_loop in LoopContext(environment.getattr(l_1_t, 'columns'), undefined):
            _loop_vars = {}
            pass
            t_22.extend((
                ' ',
                str(('---:' if environment.getitem(environment.getattr(l_1_t, 'numeric'), environment.getattr(l_2_loop, 'index0')) else '---')),
                ' |',
            ))
        l_2_loop = l_2_c = missing
        t_22.append(
            '\n',
        )
        for l_2_g in environment.getattr(l_1_t, 'groups'):
            l_2_range = resolve('range')
            _loop_vars = {}
            pass
            if environment.getattr(l_2_g, 'title'):
                pass
                t_22.extend((
                    '| **',
                    str(t_1(environment.getattr(l_2_g, 'title'))),
                    '** |',
                ))
                for l_3__ in context.call((undefined(name='range') if l_2_range is missing else l_2_range), (environment.getattr(l_1_t, 'width') - 1), _loop_vars=_loop_vars):
                    _loop_vars = {}
                    pass
                    t_22.append(
                        ' |',
                    )
                l_3__ = missing
                t_22.append(
                    '\n',
                )
            for l_3_r in environment.getattr(l_2_g, 'rows'):
                _loop_vars = {}
                pass
                t_22.extend((
                    str(context.call((undefined(name='row') if l_0_row is missing else l_0_row), l_3_r, environment.getattr(l_1_t, 'width'), _loop_vars=_loop_vars)),
                    '\n',
                ))
            l_3_r = missing
        l_2_g = l_2_range = missing
        for l_2_note in environment.getattr(l_1_t, 'notes'):
            _loop_vars = {}
            pass
            t_22.extend((
                '\n',
                str(t_1(l_2_note)),
                '\n',
            ))
        l_2_note = missing
        return concat(t_22)
    context.exported_vars.add('table')
    context.vars['table'] = l_0_table = Macro(environment, macro, 'table', ('t', 'caption'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_a, l_1_h):
        t_23 = []
        if l_1_a is missing:
            l_1_a = undefined("parameter 'a' was not provided", name='a')
        if l_1_h is missing:
            l_1_h = 3
        pass
        if (not environment.getattr(l_1_a, 'computed')):
            pass
            if environment.getattr(l_1_a, 'message'):
                pass
                t_23.extend((
                    '> **',
                    str(t_1(environment.getattr(l_1_a, 'message'))),
                    '**\n\n',
                ))
        else:
            pass
            if environment.getattr(l_1_a, 'groups'):
                pass
                t_23.extend((
                    str(('#' * l_1_h)),
                    ' Results by group\n\n',
                ))
                for l_2_t in environment.getattr(l_1_a, 'group_tables'):
                    _loop_vars = {}
                    pass
                    t_23.extend((
                        str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                        '\n\n',
                    ))
                l_2_t = missing
                t_23.append(
                    '\n',
                )
            elif environment.getattr(l_1_a, 'overall'):
                pass
                t_23.extend((
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_a, 'overall'))),
                    '\n\n',
                ))
            if environment.getattr(l_1_a, 'task_tables'):
                pass
                t_23.extend((
                    str(('#' * l_1_h)),
                    ' ',
                    str(t_1(environment.getattr(l_1_a, 'task_heading'))),
                    '\n\n',
                ))
                for l_2_t in environment.getattr(l_1_a, 'task_tables'):
                    _loop_vars = {}
                    pass
                    t_23.extend((
                        str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                        '\n\n',
                    ))
                l_2_t = missing
            for l_2_t in environment.getattr(l_1_a, 'explanations'):
                _loop_vars = {}
                pass
                t_23.extend((
                    str(('#' * l_1_h)),
                    ' ',
                    str(t_1((environment.getattr(l_2_t, 'heading') or environment.getattr(l_2_t, 'caption')))),
                    '\n\n',
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                    '\n\n',
                ))
            l_2_t = missing
            if environment.getattr(l_1_a, 'suppressed_note'):
                pass
                t_23.extend((
                    str(t_8(environment.getattr(l_1_a, 'suppressed_note'), 3)),
                    '\n\n',
                ))
            if environment.getattr(l_1_a, 'unobserved'):
                pass
                t_23.extend((
                    '**No rows at all:** ',
                    str(t_1(t_4(context.eval_ctx, environment.getattr(l_1_a, 'unobserved'), '; '))),
                    '. Nothing can be said about these combinations.\n\n',
                ))
            for l_2_note in environment.getattr(l_1_a, 'notes'):
                _loop_vars = {}
                pass
                t_23.extend((
                    str(t_8(l_2_note, 3)),
                    '\n\n',
                ))
            l_2_note = missing
        return concat(t_23)
    context.exported_vars.add('analyses')
    context.vars['analyses'] = l_0_analyses = Macro(environment, macro, 'analyses', ('a', 'h'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_a, l_1_method):
        t_24 = []
        l_1_h = missing
        if l_1_a is missing:
            l_1_a = undefined("parameter 'a' was not provided", name='a')
        if l_1_method is missing:
            l_1_method = undefined("parameter 'method' was not provided", name='method')
        pass
        if environment.getattr(l_1_a, 'name'):
            pass
            t_24.extend((
                '### Evaluation: ',
                str(t_1(environment.getattr(l_1_a, 'name'))),
                '\n\n',
            ))
        l_1_h = (4 if environment.getattr(l_1_a, 'name') else 3)
        t_24.extend((
            str(context.call((undefined(name='analyses') if l_0_analyses is missing else l_0_analyses), l_1_a, (undefined(name='h') if l_1_h is missing else l_1_h))),
            '\n',
        ))
        if l_1_method:
            pass
            if environment.getattr(l_1_a, 'computed'):
                pass
                t_24.extend((
                    str(('#' * (undefined(name='h') if l_1_h is missing else l_1_h))),
                    ' How these results were computed\n\n',
                ))
            t_24.extend((
                str(context.call((undefined(name='fieldlist') if l_0_fieldlist is missing else l_0_fieldlist), t_6(context.eval_ctx, t_10(context, l_1_method, 'kind', 'in', ['text', 'link'])), t_6(context.eval_ctx, t_9(context, l_1_method, 'kind', 'in', ['text', 'link'])), (undefined(name='h') if l_1_h is missing else l_1_h))),
                '\n',
            ))
        return concat(t_24)
    context.exported_vars.add('evaluation')
    context.vars['evaluation'] = l_0_evaluation = Macro(environment, macro, 'evaluation', ('a', 'method'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_s):
        t_25 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        if (not t_14(l_1_s)):
            pass
            t_25.extend((
                '## Summary\n\n**',
                str(t_1(environment.getattr(l_1_s, 'verdict'))),
                '** ',
                str(t_1(environment.getattr(l_1_s, 'basis'))),
                '\n\n',
            ))
            if environment.getattr(l_1_s, 'gates'):
                pass
                t_25.extend((
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_s, 'gates'))),
                    '\n\n',
                ))
            for l_2_t in environment.getattr(l_1_s, 'tables'):
                _loop_vars = {}
                pass
                t_25.extend((
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                    '\n\n',
                ))
            l_2_t = missing
            for l_2_f in environment.getattr(l_1_s, 'flags'):
                _loop_vars = {}
                pass
                t_25.extend((
                    '- ',
                    str(t_1(l_2_f)),
                    '\n',
                ))
            l_2_f = missing
            t_25.append(
                '\n',
            )
        return concat(t_25)
    context.exported_vars.add('summary')
    context.vars['summary'] = l_0_summary = Macro(environment, macro, 'summary', ('s',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_view):
        t_26 = []
        if l_1_view is missing:
            l_1_view = undefined("parameter 'view' was not provided", name='view')
        pass
        t_26.append(
            '## Appendix: full tables\n\nEvery intersection and every difference from a reference group, with intervals.\n\n',
        )
        def t_27(fiter):
            for l_2_a in fiter:
                if environment.getattr(l_2_a, 'computed'):
                    yield l_2_a
        for l_2_a in t_27(environment.getattr(l_1_view, 'evaluations')):
            _loop_vars = {}
            pass
            for l_3_t in (environment.getattr(l_2_a, 'intersections') + environment.getattr(l_2_a, 'gaps')):
                _loop_vars = {}
                pass
                if environment.getattr(l_2_a, 'name'):
                    pass
                    t_26.extend((
                        '**',
                        str(t_1(environment.getattr(l_2_a, 'name'))),
                        '**\n\n',
                    ))
                t_26.extend((
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_t, _loop_vars=_loop_vars)),
                    '\n\n',
                ))
            l_3_t = missing
            if environment.getattr(l_2_a, 'suppressed_intersections'):
                pass
                t_26.extend((
                    '**Suppressed intersectional groups',
                    str((str_join((' (', environment.getattr(l_2_a, 'name'), ')', )) if environment.getattr(l_2_a, 'name') else cond_expr_undefined("the inline if-expression on line 231 in '_macros.md.j2' evaluated to false and no else section was defined."))),
                    '** (fewer rows than the minimum group size, or counts too small to publish, `min_cell_size`: metrics not shown): ',
                    str(t_1(t_4(context.eval_ctx, environment.getattr(l_2_a, 'suppressed_intersections'), '; '))),
                    '.\n\n',
                ))
        l_2_a = missing
        return concat(t_26)
    context.exported_vars.add('appendix')
    context.vars['appendix'] = l_0_appendix = Macro(environment, macro, 'appendix', ('view',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c):
        t_28 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        pass
        if (not environment.getattr(l_1_c, 'computed')):
            pass
            t_28.extend((
                '> **',
                str(t_1(environment.getattr(l_1_c, 'message'))),
                '**\n\n',
            ))
        else:
            pass
            if environment.getattr(l_1_c, 'overview'):
                pass
                t_28.extend((
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_c, 'overview'))),
                    '\n\n',
                ))
            for l_2_t in environment.getattr(l_1_c, 'tables'):
                _loop_vars = {}
                pass
                t_28.extend((
                    str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                    '\n\n',
                ))
                for l_3_d in environment.getattr(l_2_t, 'details'):
                    _loop_vars = {}
                    pass
                    t_28.extend((
                        str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_d, _loop_vars=_loop_vars)),
                        '\n\n',
                    ))
                l_3_d = missing
            l_2_t = missing
            if environment.getattr(l_1_c, 'intersections'):
                pass
                t_28.append(
                    '### Intersections\n\n',
                )
                for l_2_t in environment.getattr(l_1_c, 'intersections'):
                    _loop_vars = {}
                    pass
                    t_28.extend((
                        str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_2_t, _loop_vars=_loop_vars)),
                        '\n\n',
                    ))
                    for l_3_d in environment.getattr(l_2_t, 'details'):
                        _loop_vars = {}
                        pass
                        t_28.extend((
                            str(context.call((undefined(name='table') if l_0_table is missing else l_0_table), l_3_d, _loop_vars=_loop_vars)),
                            '\n\n',
                        ))
                    l_3_d = missing
                l_2_t = missing
            if environment.getattr(l_1_c, 'unobserved'):
                pass
                t_28.extend((
                    '**No rows at all:** ',
                    str(t_1(t_4(context.eval_ctx, environment.getattr(l_1_c, 'unobserved'), '; '))),
                    '.\n\n',
                ))
            for l_2_note in environment.getattr(l_1_c, 'notes'):
                _loop_vars = {}
                pass
                t_28.extend((
                    str(t_8(l_2_note, 3)),
                    '\n\n',
                ))
            l_2_note = missing
        return concat(t_28)
    context.exported_vars.add('composition')
    context.vars['composition'] = l_0_composition = Macro(environment, macro, 'composition', ('c',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '4=96&5=103&6=107&8=116&12=125&13=132&14=135&15=138&16=142&17=147&18=150&19=153&20=156&21=159&22=161&23=166&25=170&26=172&27=177&29=183&30=188&32=199&34=209&35=215&38=227&39=230&40=233&41=235&42=240&43=242&48=250&49=257&50=260&51=264&52=269&53=273&54=278&55=282&57=291&59=293&64=301&65=306&66=309&69=315&73=322&74=331&75=333&76=338&81=358&82=362&84=366&89=374&90=382&91=384&92=387&94=390&98=395&103=412&104=422&107=453&108=460&109=464&112=470&114=482&116=494&117=498&118=502&121=515&122=519&125=524&127=529&131=537&132=544&133=546&134=550&138=555&139=558&141=561&142=565&146=572&147=575&150=578&151=581&153=586&154=590&158=594&159=598&161=602&164=606&165=609&168=612&169=616&172=619&173=623&179=631&180=639&181=643&184=646&185=648&186=651&187=653&188=656&191=660&195=667&196=672&199=676&201=681&202=684&205=687&206=691&209=695&210=700&216=711&221=719&222=726&223=729&224=733&227=737&230=741&231=745&237=755&238=760&239=764&242=769&243=772&246=775&247=779&249=782&250=786&254=791&257=796&258=800&260=803&261=807&266=812&267=816&270=819&271=823'