from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_view = resolve('view')
    l_0_m = l_0_rep = missing
    pass
    l_0_m = context.vars['m'] = environment.get_template('_macros.html.j2', 'base.html.j2')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_rep = context.vars['rep'] = environment.get_template('_reported.html.j2', 'base.html.j2')._get_default_module(context)
    context.exported_vars.discard('rep')
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'lang'))
    yield '">\n<head>\n'
    yield from context.blocks['head'][0](context)
    yield '</head>\n<body>\n'
    yield from context.blocks['header'][0](context)
    yield from context.blocks['toc'][0](context)
    yield '<main>\n'
    yield from context.blocks['summary'][0](context)
    yield from context.blocks['datasheets'][0](context)
    yield from context.blocks['sections'][0](context)
    yield from context.blocks['used_by'][0](context)
    yield from context.blocks['appendix'][0](context)
    yield '</main>\n'
    yield from context.blocks['footer'][0](context)
    yield '</body>\n</html>\n'

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    l_0_pdf = resolve('pdf')
    pass
    yield '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield from context.blocks['title'][0](context)
    yield '</title>\n<meta name="generator" content="cardwright '
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'tool_version'))
    yield '">\n'
    if (undefined(name='pdf') if l_0_pdf is missing else l_0_pdf):
        pass
        yield '<meta name="description" content="'
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'kind_title'))
        yield ' for '
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'title'))
        yield '">\n'
        if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'date'):
            pass
            yield '<meta name="dcterms.created" content="'
            yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'date'))
            yield '">'
        if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'generated'):
            pass
            yield '<meta name="dcterms.modified" content="'
            yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'generated'))
            yield '">'
    yield '<style>\n'
    yield from context.blocks['style'][0](context)
    yield '</style>\n'

def block_title(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    pass
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'title'))
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'version'):
        pass
        yield ' '
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'version'))
    yield ' · '
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'kind_title'))

def block_style(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_pdf = resolve('pdf')
    pass
    template = environment.get_template('card.css', 'base.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    if (undefined(name='pdf') if l_0_pdf is missing else l_0_pdf):
        pass
        template = environment.get_template('pdf.css', 'base.html.j2')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
        try:
            for event in gen:
                yield event
        finally: gen.close()

def block_header(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_pdf = resolve('pdf')
    l_0_view = resolve('view')
    try:
        t_1 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['nowrap_hyphens']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'nowrap_hyphens' found.")
    pass
    yield '<header class="card-header'
    if (undefined(name='pdf') if l_0_pdf is missing else l_0_pdf):
        pass
        yield ' cover'
    yield '">\n<p class="kind">'
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'kind_title'))
    yield '</p>\n<h1>'
    yield escape(t_3(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'title')))
    yield '</h1>\n'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary_line'):
        pass
        yield '<p class="lede">'
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary_line'))
        yield '</p>'
    yield '<dl class="meta">\n'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'version'):
        pass
        yield '<div><dt>Version</dt><dd>'
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'version'))
        yield '</dd></div>'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'status'):
        pass
        yield '<div><dt>Status</dt><dd><span class="status">'
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'status'))
        yield '</span></dd></div>'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'owners'):
        pass
        yield '<div><dt>'
        yield escape(('Owner' if (t_2(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'owners')) == 1) else 'Owners'))
        yield '</dt><dd>'
        yield escape(t_1(context.eval_ctx, environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'owners'), ', '))
        yield '</dd></div>'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'date'):
        pass
        yield '<div><dt>Date</dt><dd>'
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'date'))
        yield '</dd></div>'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'licence'):
        pass
        yield '<div><dt>Licence</dt><dd>'
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'licence'))
        yield '</dd></div>'
    for l_1_f in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'facts'):
        _loop_vars = {}
        pass
        yield '<div><dt>'
        yield escape(environment.getattr(l_1_f, 'title'))
        yield '</dt><dd>'
        yield escape((environment.getattr(l_1_f, 'value') or t_1(context.eval_ctx, environment.getitem(l_1_f, 'items'), ', ')))
        yield '</dd></div>'
    l_1_f = missing
    yield '</dl>\n</header>\n'

def block_toc(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    pass
    yield '<nav class="toc" aria-labelledby="toc-h">\n<h2 id="toc-h">Contents</h2>\n<ul>\n'
    for l_1_e in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'toc'):
        _loop_vars = {}
        pass
        yield '<li><a href="#'
        yield escape(environment.getattr(l_1_e, 'target'))
        yield '">'
        yield escape(environment.getattr(l_1_e, 'label'))
        yield '</a></li>\n'
    l_1_e = missing
    yield '</ul>\n</nav>\n'

def block_summary(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'summary'), environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary'), _block_vars=_block_vars))

def block_datasheets(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    try:
        t_4 = environment.filters['prose']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'prose' found.")
    pass
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'datasheets'):
        pass
        yield '<section class="linked" id="datasheets" aria-labelledby="datasheets-h">\n<h2 id="datasheets-h">Datasheets</h2>\n<p>The data this model was trained and evaluated on are described in these datasheets.</p>\n'
        for l_1_d in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'datasheets'):
            _loop_vars = {}
            pass
            yield '<div class="datasheet-ref">\n<p><strong>'
            if environment.getattr(l_1_d, 'href'):
                pass
                yield '<a href="'
                yield escape(environment.getattr(l_1_d, 'href'))
                yield '">'
                yield escape(environment.getattr(l_1_d, 'name'))
                yield '</a>'
            else:
                pass
                yield escape(environment.getattr(l_1_d, 'name'))
            yield '</strong> ('
            yield escape(environment.getattr(l_1_d, 'role'))
            yield '; <code>'
            yield escape(environment.getattr(l_1_d, 'path'))
            yield '</code>)</p>\n'
            if environment.getattr(l_1_d, 'facts'):
                pass
                yield '<dl class="facts inline">\n'
                for (l_2_k, l_2_v) in environment.getattr(l_1_d, 'facts'):
                    _loop_vars = {}
                    pass
                    yield '<div><dt>'
                    yield escape(l_2_k)
                    yield '</dt><dd>'
                    yield escape(l_2_v)
                    yield '</dd></div>\n'
                l_2_k = l_2_v = missing
                yield '</dl>\n'
            if environment.getattr(l_1_d, 'summary'):
                pass
                yield '<div class="prose">'
                yield escape(t_4(environment.getattr(l_1_d, 'summary'), 3))
                yield '</div>'
            if environment.getattr(l_1_d, 'error'):
                pass
                yield '<p class="missing"><strong>'
                yield escape(environment.getattr(l_1_d, 'error'))
                yield '</strong></p>'
            yield '</div>\n'
        l_1_d = missing
        yield '</section>\n'

def block_sections(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    pass
    yield from context.blocks['model_details'][0](context)
    yield from context.blocks['intended_use'][0](context)
    yield from context.blocks['factors'][0](context)
    yield from context.blocks['metrics'][0](context)
    yield from context.blocks['evaluation_data'][0](context)
    yield from context.blocks['training_data'][0](context)
    yield from context.blocks['quantitative_analyses'][0](context)
    yield from context.blocks['reported_results'][0](context)
    yield from context.blocks['ethical_considerations'][0](context)
    yield from context.blocks['caveats_and_recommendations'][0](context)
    yield from context.blocks['privacy'][0](context)
    yield from context.blocks['robustness'][0](context)
    yield from context.blocks['transparency'][0](context)
    yield from context.blocks['governance'][0](context)
    yield from context.blocks['explainability'][0](context)
    yield from context.blocks['environmental_impact'][0](context)
    yield from context.blocks['dataset'][0](context)
    yield from context.blocks['motivation'][0](context)
    yield from context.blocks['composition'][0](context)
    yield from context.blocks['collection_process'][0](context)
    yield from context.blocks['preprocessing'][0](context)
    yield from context.blocks['uses'][0](context)
    yield from context.blocks['distribution'][0](context)
    yield from context.blocks['maintenance'][0](context)
    yield from context.blocks['data'][0](context)
    yield from context.blocks['notes'][0](context)
    yield from context.blocks['approvals'][0](context)
    yield from context.blocks['extensions'][0](context)
    def t_5(fiter):
        l_1_section_blocks = resolve('section_blocks')
        for l_1_s in fiter:
            if (environment.getattr(l_1_s, 'key') not in (undefined(name='section_blocks') if l_1_section_blocks is missing else l_1_section_blocks)):
                yield l_1_s
    for l_1_s in t_5(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'sections')):
        l_1_m = resolve('m')
        _loop_vars = {}
        pass
        yield escape(context.call(environment.getattr((undefined(name='m') if l_1_m is missing else l_1_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), environment.getattr(l_1_s, 'key'), _loop_vars=_loop_vars))
    l_1_s = l_1_m = missing

def block_model_details(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'model_details', _block_vars=_block_vars))

def block_intended_use(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'intended_use', _block_vars=_block_vars))

def block_factors(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'factors', _block_vars=_block_vars))

def block_metrics(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'metrics', _block_vars=_block_vars))

def block_evaluation_data(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'evaluation_data', _block_vars=_block_vars))

def block_training_data(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'training_data', _block_vars=_block_vars))

def block_quantitative_analyses(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    def macro(l_1_s):
        t_6 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        l_2_loop = missing
        for l_2_a, l_2_loop in LoopContext(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'evaluations'), undefined):
            l_2_pdf = resolve('pdf')
            _loop_vars = {}
            pass
            t_6.append(
                escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'evaluation'), l_2_a, environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'method'), environment.getattr(l_2_loop, 'index0')), (undefined(name='pdf') if l_2_pdf is missing else l_2_pdf), _loop_vars=_loop_vars)),
            )
        l_2_loop = l_2_a = l_2_pdf = missing
        return concat(t_6)
    caller = Macro(environment, macro, None, ('s',), False, False, False, context.eval_ctx.autoescape)
    yield context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'quantitative_analyses', caller=caller, _block_vars=_block_vars)

def block_reported_results(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    def macro(l_1_s):
        t_7 = []
        l_1_rep = resolve('rep')
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        t_7.append(
            escape(context.call(environment.getattr((undefined(name='rep') if l_1_rep is missing else l_1_rep), 'reported'), environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'reported'), (undefined(name='m') if l_0_m is missing else l_0_m))),
        )
        return concat(t_7)
    caller = Macro(environment, macro, None, ('s',), False, False, False, context.eval_ctx.autoescape)
    yield context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'reported_results', caller=caller, _block_vars=_block_vars)

def block_ethical_considerations(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'ethical_considerations', _block_vars=_block_vars))

def block_caveats_and_recommendations(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'caveats_and_recommendations', _block_vars=_block_vars))

def block_privacy(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'privacy', _block_vars=_block_vars))

def block_robustness(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'robustness', _block_vars=_block_vars))

def block_transparency(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'transparency', _block_vars=_block_vars))

def block_governance(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'governance', _block_vars=_block_vars))

def block_explainability(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'explainability', _block_vars=_block_vars))

def block_environmental_impact(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'environmental_impact', _block_vars=_block_vars))

def block_dataset(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'dataset', _block_vars=_block_vars))

def block_motivation(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'motivation', _block_vars=_block_vars))

def block_composition(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'composition', _block_vars=_block_vars))

def block_collection_process(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'collection_process', _block_vars=_block_vars))

def block_preprocessing(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'preprocessing', _block_vars=_block_vars))

def block_uses(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'uses', _block_vars=_block_vars))

def block_distribution(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'distribution', _block_vars=_block_vars))

def block_maintenance(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'maintenance', _block_vars=_block_vars))

def block_data(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    try:
        t_8 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_s):
        t_9 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        if (not t_8(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'))):
            pass
            t_9.append(
                escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'composition'), environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'))),
            )
        t_9.append(
            escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'fields'), l_1_s)),
        )
        return concat(t_9)
    caller = Macro(environment, macro, None, ('s',), False, False, False, context.eval_ctx.autoescape)
    yield context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'data', caller=caller, _block_vars=_block_vars)

def block_notes(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'notes', _block_vars=_block_vars))

def block_approvals(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'approvals', _block_vars=_block_vars))

def block_extensions(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_m = resolve('m')
    l_0_view = resolve('view')
    pass
    yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'extensions', _block_vars=_block_vars))

def block_used_by(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    pass
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'used_by'):
        pass
        yield '<section id="used-by" aria-labelledby="used-by-h">\n<h2 id="used-by-h">Used by</h2>\n<p>Model cards that name this dataset:</p>\n<ul>\n'
        for l_1_u in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'used_by'):
            _loop_vars = {}
            pass
            yield '<li>'
            if environment.getattr(l_1_u, 'href'):
                pass
                yield '<a href="'
                yield escape(environment.getattr(l_1_u, 'href'))
                yield '">'
                yield escape(environment.getattr(l_1_u, 'title'))
                yield '</a>'
            else:
                pass
                yield escape(environment.getattr(l_1_u, 'title'))
            yield '</li>\n'
        l_1_u = missing
        yield '</ul>\n</section>\n'

def block_appendix(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    l_0_m = resolve('m')
    l_0_pdf = resolve('pdf')
    pass
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'has_appendix'):
        pass
        yield escape(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'appendix'), (undefined(name='view') if l_0_view is missing else l_0_view), (undefined(name='pdf') if l_0_pdf is missing else l_0_pdf), _block_vars=_block_vars))

def block_footer(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    l_0_prov = missing
    try:
        t_8 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<footer class="provenance">\n'
    l_0_prov = ((environment.getattr(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'analyses'), 'provenance') if (not t_8(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'analyses'))) else []) + (environment.getattr(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'), 'provenance') if (not t_8(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'))) else []))
    _block_vars['prov'] = l_0_prov
    if (undefined(name='prov') if l_0_prov is missing else l_0_prov):
        pass
        yield '<h2 id="provenance-h">Provenance of the computed results</h2>\n<dl>\n'
        for (l_1_k, l_1_v) in (undefined(name='prov') if l_0_prov is missing else l_0_prov):
            _loop_vars = {}
            pass
            yield '<dt>'
            yield escape(l_1_k)
            yield '</dt><dd>'
            yield escape(l_1_v)
            yield '</dd>\n'
        l_1_k = l_1_v = missing
        yield '</dl>\n'
    yield '<p>'
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'kind_title'))
    yield ' schema version '
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'schema_version'))
    yield '. Rendered by cardwright '
    yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'tool_version'))
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'generated'):
        pass
        yield ' on '
        yield escape(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'generated'))
    yield '.</p>\n</footer>\n'

blocks = {'head': block_head, 'title': block_title, 'style': block_style, 'header': block_header, 'toc': block_toc, 'summary': block_summary, 'datasheets': block_datasheets, 'sections': block_sections, 'model_details': block_model_details, 'intended_use': block_intended_use, 'factors': block_factors, 'metrics': block_metrics, 'evaluation_data': block_evaluation_data, 'training_data': block_training_data, 'quantitative_analyses': block_quantitative_analyses, 'reported_results': block_reported_results, 'ethical_considerations': block_ethical_considerations, 'caveats_and_recommendations': block_caveats_and_recommendations, 'privacy': block_privacy, 'robustness': block_robustness, 'transparency': block_transparency, 'governance': block_governance, 'explainability': block_explainability, 'environmental_impact': block_environmental_impact, 'dataset': block_dataset, 'motivation': block_motivation, 'composition': block_composition, 'collection_process': block_collection_process, 'preprocessing': block_preprocessing, 'uses': block_uses, 'distribution': block_distribution, 'maintenance': block_maintenance, 'data': block_data, 'notes': block_notes, 'approvals': block_approvals, 'extensions': block_extensions, 'used_by': block_used_by, 'appendix': block_appendix, 'footer': block_footer}
debug_info = '5=13&6=15&8=18&10=20&29=22&44=23&55=25&56=26&77=27&109=28&121=29&123=31&10=34&13=45&14=47&15=49&16=52&17=56&18=61&21=67&13=70&21=87&22=96&23=102&29=111&30=140&31=144&32=146&33=148&35=154&36=159&37=164&38=171&39=176&40=181&44=192&48=202&49=206&55=213&56=225&57=240&61=243&63=247&64=262&66=265&70=275&71=280&77=289&78=298&79=299&80=300&81=301&82=302&83=303&84=304&85=305&86=306&87=307&88=308&89=309&90=310&91=311&92=312&93=313&94=314&95=315&96=316&97=317&98=318&99=319&100=320&101=321&102=322&104=323&105=324&106=325&107=326&78=338&79=350&80=362&81=374&82=386&83=398&84=410&85=438&86=461&87=473&88=485&89=497&90=509&91=521&92=533&93=545&94=557&95=569&96=581&97=593&98=605&99=617&100=629&101=641&102=653&103=680&102=684&104=686&105=698&106=710&109=722&110=731&115=734&121=752&123=767&125=784&126=786&129=789&133=800'