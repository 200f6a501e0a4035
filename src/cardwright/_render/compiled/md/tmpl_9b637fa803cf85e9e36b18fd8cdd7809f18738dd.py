from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_m = l_0_rep = missing
    pass
    l_0_m = context.vars['m'] = environment.get_template('_macros.md.j2', 'base.md.j2')._get_default_module(context)
    context.exported_vars.discard('m')
    l_0_rep = context.vars['rep'] = environment.get_template('_reported.md.j2', 'base.md.j2')._get_default_module(context)
    context.exported_vars.discard('rep')
    yield from context.blocks['header'][0](context)
    yield from context.blocks['toc'][0](context)
    yield from context.blocks['summary'][0](context)
    yield from context.blocks['datasheets'][0](context)
    yield from context.blocks['sections'][0](context)
    yield from context.blocks['used_by'][0](context)
    yield from context.blocks['appendix'][0](context)
    yield from context.blocks['footer'][0](context)

def block_header(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
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
    pass
    yield '# '
    yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'title')))
    yield '\n\n**'
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'kind_title'))
    yield '**'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'version'):
        pass
        yield ' · version '
        yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'version')))
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'status'):
        pass
        yield ' · status: '
        yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'status')))
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'date'):
        pass
        yield ' · '
        yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'date'))
    yield '\n\n'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary_line'):
        pass
        yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary_line')))
        yield '\n\n'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'owners'):
        pass
        yield '- **'
        yield str(('Owner' if (t_3(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'owners')) == 1) else 'Owners'))
        yield ':** '
        yield str(t_1(t_2(context.eval_ctx, environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'owners'), ', ')))
        yield '\n'
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'licence'):
        pass
        yield '- **Licence:** '
        yield str(t_1(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'licence')))
        yield '\n'
    for l_1_f in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'facts'):
        _loop_vars = {}
        pass
        yield '- **'
        yield str(t_1(environment.getattr(l_1_f, 'title')))
        yield ':** '
        yield str(t_1((environment.getattr(l_1_f, 'value') or t_2(context.eval_ctx, environment.getitem(l_1_f, 'items'), ', '))))
        yield '\n'
    l_1_f = missing
    yield '\n'

def block_toc(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_4 = environment.filters['gh_anchor']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'gh_anchor' found.")
    pass
    yield '## Contents\n\n'
    for l_1_e in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'toc'):
        _loop_vars = {}
        pass
        yield '- ['
        yield str(t_1(environment.getattr(l_1_e, 'label')))
        yield '](#'
        yield str(t_4(environment.getattr(l_1_e, 'label')))
        yield ')\n'
    l_1_e = missing
    yield '\n'

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'summary'), environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'summary'), _block_vars=_block_vars))

def block_datasheets(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_5 = environment.filters['code']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'code' found.")
    try:
        t_6 = environment.filters['urlpart']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'urlpart' found.")
    pass
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'datasheets'):
        pass
        yield '## Datasheets\n\nThe data this model was trained and evaluated on are described in these datasheets.\n\n'
        for l_1_d in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'datasheets'):
            _loop_vars = {}
            pass
            yield '- **'
            if environment.getattr(l_1_d, 'href'):
                pass
                yield '['
                yield str(t_1(environment.getattr(l_1_d, 'name')))
                yield ']('
                yield str(t_6(environment.getattr(l_1_d, 'href')))
                yield ')'
            else:
                pass
                yield str(t_1(environment.getattr(l_1_d, 'name')))
            yield '** ('
            yield str(t_1(environment.getattr(l_1_d, 'role')))
            yield '; `'
            yield str(t_5(environment.getattr(l_1_d, 'path')))
            yield '`)\n'
            for (l_2_k, l_2_v) in environment.getattr(l_1_d, 'facts'):
                _loop_vars = {}
                pass
                yield '  - '
                yield str(t_1(l_2_k))
                yield ': '
                yield str(t_1(l_2_v))
                yield '\n'
            l_2_k = l_2_v = missing
            if environment.getattr(l_1_d, 'error'):
                pass
                yield '  - **'
                yield str(t_1(environment.getattr(l_1_d, 'error')))
                yield '**\n'
        l_1_d = missing
        yield '\n'

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
    def t_7(fiter):
        l_1_section_blocks = resolve('section_blocks')
        for l_1_s in fiter:
            if (environment.getattr(l_1_s, 'key') not in (undefined(name='section_blocks') if l_1_section_blocks is missing else l_1_section_blocks)):
                yield l_1_s
    for l_1_s in t_7(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'sections')):
        l_1_m = resolve('m')
        _loop_vars = {}
        pass
        yield str(context.call(environment.getattr((undefined(name='m') if l_1_m is missing else l_1_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), environment.getattr(l_1_s, 'key'), _loop_vars=_loop_vars))
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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'model_details', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'intended_use', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'factors', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'metrics', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'evaluation_data', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'training_data', _block_vars=_block_vars))

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
        t_8 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        l_2_loop = missing
        for l_2_a, l_2_loop in LoopContext(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'evaluations'), undefined):
            _loop_vars = {}
            pass
            t_8.append(
                str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'evaluation'), l_2_a, environment.getitem(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'method'), environment.getattr(l_2_loop, 'index0')), _loop_vars=_loop_vars)),
            )
        l_2_loop = l_2_a = missing
        return concat(t_8)
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
        t_9 = []
        l_1_rep = resolve('rep')
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        t_9.append(
            str(context.call(environment.getattr((undefined(name='rep') if l_1_rep is missing else l_1_rep), 'reported'), environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'reported'), (undefined(name='m') if l_0_m is missing else l_0_m))),
        )
        return concat(t_9)
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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'ethical_considerations', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'caveats_and_recommendations', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'privacy', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'robustness', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'transparency', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'governance', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'explainability', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'environmental_impact', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'dataset', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'motivation', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'composition', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'collection_process', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'preprocessing', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'uses', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'distribution', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'maintenance', _block_vars=_block_vars))

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
        t_10 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_s):
        t_11 = []
        if l_1_s is missing:
            l_1_s = undefined("parameter 's' was not provided", name='s')
        pass
        if (not t_10(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'))):
            pass
            t_11.append(
                str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'composition'), environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'))),
            )
        t_11.append(
            str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'fields'), l_1_s)),
        )
        return concat(t_11)
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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'notes', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'approvals', _block_vars=_block_vars))

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
    yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'section'), (undefined(name='view') if l_0_view is missing else l_0_view), 'extensions', _block_vars=_block_vars))

def block_used_by(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    try:
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_6 = environment.filters['urlpart']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'urlpart' found.")
    pass
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'used_by'):
        pass
        yield '## Used by\n\nModel cards that name this dataset:\n\n'
        for l_1_u in environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'used_by'):
            _loop_vars = {}
            pass
            yield '- '
            if environment.getattr(l_1_u, 'href'):
                pass
                yield '['
                yield str(t_1(environment.getattr(l_1_u, 'title')))
                yield ']('
                yield str(t_6(environment.getattr(l_1_u, 'href')))
                yield ')'
            else:
                pass
                yield str(t_1(environment.getattr(l_1_u, 'title')))
            yield '\n'
        l_1_u = missing
        yield '\n'

def block_appendix(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_view = resolve('view')
    l_0_m = resolve('m')
    pass
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'has_appendix'):
        pass
        yield str(context.call(environment.getattr((undefined(name='m') if l_0_m is missing else l_0_m), 'appendix'), (undefined(name='view') if l_0_view is missing else l_0_view), _block_vars=_block_vars))

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
        t_1 = environment.filters['cell']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'cell' found.")
    try:
        t_10 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '---\n\n'
    l_0_prov = ((environment.getattr(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'analyses'), 'provenance') if (not t_10(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'analyses'))) else []) + (environment.getattr(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'), 'provenance') if (not t_10(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'composition'))) else []))
    _block_vars['prov'] = l_0_prov
    if (undefined(name='prov') if l_0_prov is missing else l_0_prov):
        pass
        yield '**Provenance of the computed results**\n\n'
        for (l_1_k, l_1_v) in (undefined(name='prov') if l_0_prov is missing else l_0_prov):
            _loop_vars = {}
            pass
            yield '- '
            yield str(t_1(l_1_k))
            yield ': '
            yield str(t_1(l_1_v))
            yield '\n'
        l_1_k = l_1_v = missing
        yield '\n'
    yield '_'
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'kind_title'))
    yield ' schema version '
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'schema_version'))
    yield '. Rendered by cardwright '
    yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'tool_version'))
    if environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'generated'):
        pass
        yield ' on '
        yield str(environment.getattr((undefined(name='view') if l_0_view is missing else l_0_view), 'generated'))
    yield '._\n'

blocks = {'header': block_header, 'toc': block_toc, 'summary': block_summary, 'datasheets': block_datasheets, 'sections': block_sections, 'model_details': block_model_details, 'intended_use': block_intended_use, 'factors': block_factors, 'metrics': block_metrics, 'evaluation_data': block_evaluation_data, 'training_data': block_training_data, 'quantitative_analyses': block_quantitative_analyses, 'reported_results': block_reported_results, 'ethical_considerations': block_ethical_considerations, 'caveats_and_recommendations': block_caveats_and_recommendations, 'privacy': block_privacy, 'robustness': block_robustness, 'transparency': block_transparency, 'governance': block_governance, 'explainability': block_explainability, 'environmental_impact': block_environmental_impact, 'dataset': block_dataset, 'motivation': block_motivation, 'composition': block_composition, 'collection_process': block_collection_process, 'preprocessing': block_preprocessing, 'uses': block_uses, 'distribution': block_distribution, 'maintenance': block_maintenance, 'data': block_data, 'notes': block_notes, 'approvals': block_approvals, 'extensions': block_extensions, 'used_by': block_used_by, 'appendix': block_appendix, 'footer': block_footer}
debug_info = '5=12&6=14&7=16&27=17&35=18&36=19&54=20&85=21&98=22&99=23&7=25&8=53&10=55&12=70&13=72&16=74&17=77&19=81&20=84&22=86&23=90&27=97&30=119&31=123&35=130&36=142&37=169&42=172&43=176&44=191&45=195&47=200&48=203&54=208&55=217&56=218&57=219&58=220&59=221&60=222&61=223&62=224&63=225&64=226&65=227&66=228&67=229&68=230&69=231&70=232&71=233&72=234&73=235&74=236&75=237&76=238&77=239&78=240&79=241&80=242&81=243&82=244&83=245&55=257&56=269&57=281&58=293&59=305&60=317&61=329&62=356&63=379&64=391&65=403&66=415&67=427&68=439&69=451&70=463&71=475&72=487&73=499&74=511&75=523&76=535&77=547&78=559&79=571&80=604&81=616&82=628&85=640&86=661&91=664&92=668&98=682&99=696&102=719&103=721&106=724&107=728&111=735'